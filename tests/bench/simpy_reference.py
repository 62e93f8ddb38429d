"""The reference M/M/n+M call centre in SimPy 3, the yardstick for the simulator benchmark.

Poisson arrivals, exponential handle times and exponential patience, n agents as one
simpy.Resource; a caller waits for an agent or hangs up when patience runs out, whichever comes
first. Written the way SimPy's own examples model a bank or a call centre, with the usual
inner-loop care (bound methods and constants hoisted into locals), so the ratio against it is fair.

Counts the same logical events as the TypeScript simulator: arrivals, completions and
abandonments that happen before the horizon. Only env.run() is timed.

    /usr/bin/python3 tests/bench/simpy_reference.py [--seed N] [--agents N] ...

prints one JSON object: {"logicalEvents", "seconds", "answered", "abandoned", "arrived", ...}.
"""

import argparse
import json
import random
import sys
import time

import simpy


def model(env, agents, rng, arrivals_per_min, aht_min, patience_min, tally):
    """Returns the arrival process; every time is in minutes."""
    arrival_rate = arrivals_per_min
    handle_rate = 1.0 / aht_min
    abandon_rate = 1.0 / patience_min
    expovariate = rng.expovariate
    timeout = env.timeout
    request = agents.request
    process = env.process

    def caller():
        # patience and handle time are drawn at arrival, as the TypeScript simulator does, so
        # both models consume their random streams in the same pattern
        patience = expovariate(abandon_rate)
        handle = expovariate(handle_rate)
        with request() as req:
            got = yield req | timeout(patience)
            if req in got:
                tally[1] += 1
                yield timeout(handle)
                tally[3] += 1
            else:
                tally[2] += 1

    def arrivals():
        while True:
            yield timeout(expovariate(arrival_rate))
            tally[0] += 1
            process(caller())

    return arrivals()


def run(seed, agents_n, arrivals_per_min, aht_min, patience_min, hours):
    rng = random.Random(seed)
    env = simpy.Environment()
    agents = simpy.Resource(env, capacity=agents_n)
    # arrived, answered, abandoned, completed: a list, so the closures update it without nonlocal
    tally = [0, 0, 0, 0]
    env.process(model(env, agents, rng, arrivals_per_min, aht_min, patience_min, tally))
    t0 = time.perf_counter()
    env.run(until=hours * 60.0)
    seconds = time.perf_counter() - t0
    arrived, answered, abandoned, completed = tally
    return {
        "logicalEvents": arrived + completed + abandoned,
        "seconds": seconds,
        "arrived": arrived,
        "answered": answered,
        "abandoned": abandoned,
        "completed": completed,
        "waiting": len(agents.queue),
        "talking": agents.count,
        "simpy": simpy.__version__,
        "python": sys.version.split()[0],
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--agents", type=int, default=200)
    p.add_argument("--arrivals-per-minute", type=float, default=48.0)
    p.add_argument("--aht-minutes", type=float, default=4.0)
    p.add_argument("--patience-minutes", type=float, default=3.0)
    p.add_argument("--hours", type=float, default=8.0)
    a = p.parse_args()
    result = run(a.seed, a.agents, a.arrivals_per_minute, a.aht_minutes, a.patience_minutes, a.hours)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
