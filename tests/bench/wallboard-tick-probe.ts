/**
 * Preloaded into the wallboard server the benchmark spawns (`node --import tsx --import <this> server.ts`)
 * to time the hub's ticks without touching server code: the hub schedules its tick with the global
 * setInterval at TICK_MS, looked up when it starts ticking, so wrapping the global here sees each tick
 * begin (when the source applies the events since the last one) and end (every room's message sent).
 * The records stay in memory and go to the parent over IPC only when it asks, so measuring adds
 * nothing to the tick but a few clock reads and a push.
 */
import { MAX_UPDATES_PER_SECOND } from '../../src/lib/protocol';
import type { ProbeReply, ProbeRequest, TickRecord } from './wallboard-probe-protocol';

const TICK_MS = 1000 / MAX_UPDATES_PER_SECOND;
const ticks: TickRecord[] = [];
/** wall-clock ms with the sub-ms part of performance.now(), the same clock the bench's clients stamp with */
const wall = () => performance.timeOrigin + performance.now();

const original = globalThis.setInterval;
const timed = ((fn: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
	if (ms !== TICK_MS || typeof fn !== 'function') return original(fn, ms, ...args);
	return original(
		(...a: unknown[]) => {
			const startMs = wall();
			const cpu = process.cpuUsage();
			try {
				fn(...a);
			} finally {
				const used = process.cpuUsage(cpu);
				ticks.push({ startMs, endMs: wall(), cpuMs: (used.user + used.system) / 1000 });
			}
		},
		ms,
		...args
	);
}) as typeof setInterval;
globalThis.setInterval = timed;

process.on('message', (raw: unknown) => {
	const req = raw as ProbeRequest;
	if (req?.type !== 'ticks' || typeof process.send !== 'function') return;
	const reply: ProbeReply = { type: 'ticks', ticks: ticks.splice(0) };
	process.send(reply);
});
// a benchmark that dies, however it dies, takes its server with it (the graceful way)
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
// the IPC channel must not keep the server alive once it closes on SIGTERM
process.channel?.unref();
