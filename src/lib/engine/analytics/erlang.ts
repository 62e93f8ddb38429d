/**
 * Analytic queueing models for staffing and forecast tiles: Erlang B, Erlang C (M/M/n) and
 * Erlang A (M/M/n+M, Palm). Pure and deterministic. All times are in SECONDS; arrivals per hour.
 *
 * Measures, with their contact-centre meanings (arrivals see time averages, PASTA):
 * - pWait:       probability an arriving call has to wait (all agents busy on arrival).
 * - pAbandon:    probability a call hangs up before reaching an agent (always 0 for Erlang C).
 * - asaAnswered: ASA, mean wait of calls that get answered (answered-immediately calls count as 0).
 * - meanWaitAll: mean time in queue over all offered calls; abandoners contribute the time they
 *                waited before hanging up. By Little's law meanWaitAll·λ = E[queue length].
 * - slAnswered:  service level over answered calls, P(wait <= T | answered).
 * - slOffered:   service level over offered calls, P(answered and wait <= T). Abandoned calls count
 *                as misses however early they hung up. Equal to slAnswered for Erlang C.
 * - occupancy:   mean busy agents / agents = carried load / agents. Erlang C: a/n; Erlang A:
 *                λ(1−pAbandon)·AHT/n (0 when there are no agents).
 *
 * Erlang C is closed form (SL = 1 − C·e^{−(nμ−λ)T}, ASA = C/(nμ−λ)); when the offered load a = λ·AHT
 * is >= n the queue is unstable and we report pWait 1, infinite waits, SL 0 and occupancy 1.
 *
 * Erlang A is the birth-death chain of Garnett–Mandelbaum–Reiman: up-rate λ, down-rate kμ for k <= n
 * and nμ + (k−n)θ above, θ = 1/mean patience. The chain is always ergodic because θ > 0, so the
 * waiting part is summed out to where the remaining tail is provably below e^-40 of the total.
 * Weights are accumulated in log space: at n = 2000 the products a^k/k! overflow float64 long before
 * they are normalised.
 *
 * Waiting time of an Erlang A call that arrives to state n+j (j calls already waiting): ahead of it
 * the queue position advances at rate nμ + iθ while i calls are ahead (a service completion or one of
 * them abandoning), i = j..0, and the call's own patience is an independent Exp(θ). Its virtual wait
 * S (the wait if it had infinite patience) is a sum of Exp(nμ + iθ), i = 0..j, and it is answered iff
 * patience > S, so P(answered, W <= T | j) = E[e^{−θS}; S <= T]. Exponentially tilting each stage by θ
 * gives
 *     P(answered | j) = Π_{i=0..j} (nμ+iθ)/(nμ+(i+1)θ) = nμ / (nμ + (j+1)θ)      (telescoping)
 *     W | answered, j  ~  Σ_{m=1..j+1} Exp(nμ + mθ)                              (hypoexponential)
 *     E[W; answered | j] = P(answered | j) · Σ_{m=1..j+1} 1/(nμ + mθ).
 * The hypoexponential rates form an arithmetic progression, so the partial-fraction form of its
 * density collapses (binomial theorem) to  c·e^{−(nμ+θ)s}(1 − e^{−θs})^j,  whose CDF is the regularised
 * incomplete beta I_x(j+1, nμ/θ + 1) with x = 1 − e^{−θT}. That equals P(N >= j+1) for a negative
 * binomial N with pmf t_i = Γ(i+b)/(i!Γ(b))·x^i(1−x)^b, b = nμ/θ + 1, whose terms we run in log space
 * alongside the state sum: one pass, O(n + tail), no alternating sums (the textbook partial-fraction
 * formula cancels catastrophically once more than a few calls are queued).
 */

const SECONDS_PER_HOUR = 3600;
/** Tail terms are dropped once everything left is below e^-40 (≈ 4e-18) of the mass summed so far. */
const LOG_TAIL_TOLERANCE = -40;
/** Only reachable with patience many orders of magnitude above AHT under heavy overload. */
const MAX_TAIL_STATES = 10_000_000;
/** Absorbs float rounding when a measure lands exactly on its target (e.g. occupancy a/n = 0.8). */
const TARGET_SLACK = 1e-12;

export interface QueueModelInput {
	arrivalsPerHour: number;
	ahtSeconds: number;
	agents: number;
	/** Service-level threshold T in seconds. */
	targetSeconds: number;
	/** Erlang A only: mean patience (exponential), seconds. */
	patienceSeconds?: number;
}

export interface QueueMeasures {
	pWait: number;
	pAbandon: number;
	asaAnswered: number;
	meanWaitAll: number;
	slAnswered: number;
	slOffered: number;
	occupancy: number;
}

export interface StaffingTarget {
	/** Service-level threshold; defaults to base.targetSeconds. */
	slSeconds?: number;
	/** Minimum slOffered (answered within slSeconds over offered; equals slAnswered for Erlang C). */
	sl?: number;
	/** Maximum asaAnswered, seconds. */
	asaSeconds?: number;
	/** Maximum pAbandon. */
	maxAbandon?: number;
	/** Maximum occupancy. */
	maxOccupancy?: number;
}

function assertAgents(agents: number): void {
	if (!Number.isInteger(agents) || agents < 0) {
		throw new RangeError(`agents must be a non-negative integer, got ${agents}`);
	}
}

function assertFiniteNonNegative(name: string, value: number): void {
	if (!Number.isFinite(value) || value < 0) {
		throw new RangeError(`${name} must be a finite number >= 0, got ${value}`);
	}
}

function validateInput(input: QueueModelInput): void {
	assertFiniteNonNegative('arrivalsPerHour', input.arrivalsPerHour);
	if (!Number.isFinite(input.ahtSeconds) || input.ahtSeconds <= 0) {
		throw new RangeError(`ahtSeconds must be a finite number > 0, got ${input.ahtSeconds}`);
	}
	assertAgents(input.agents);
	if (Number.isNaN(input.targetSeconds) || input.targetSeconds < 0) {
		throw new RangeError(`targetSeconds must be >= 0, got ${input.targetSeconds}`);
	}
}

/** Nothing arrives: nobody waits, and an empty SL sample counts as met. */
function idleMeasures(): QueueMeasures {
	return { pWait: 0, pAbandon: 0, asaAnswered: 0, meanWaitAll: 0, slAnswered: 1, slOffered: 1, occupancy: 0 };
}

/** Blocking probability of M/M/n/n. The forward recursion stays in [0, 1], so it cannot overflow. */
export function erlangB(agents: number, offeredLoadErlangs: number): number {
	assertAgents(agents);
	assertFiniteNonNegative('offeredLoadErlangs', offeredLoadErlangs);
	const a = offeredLoadErlangs;
	let b = 1;
	for (let k = 1; k <= agents; k++) {
		const ab = a * b;
		b = ab / (k + ab);
	}
	return b;
}

/** P(wait) in M/M/n. 1 when load >= agents (unstable); 0 when there is no load at all. */
export function erlangC(agents: number, offeredLoadErlangs: number): number {
	assertAgents(agents);
	assertFiniteNonNegative('offeredLoadErlangs', offeredLoadErlangs);
	const a = offeredLoadErlangs;
	if (a === 0) return 0;
	if (a >= agents) return 1;
	const b = erlangB(agents, a);
	const c = (agents * b) / (agents - a * (1 - b));
	return Math.min(1, Math.max(0, c));
}

export function erlangCMeasures(input: QueueModelInput): QueueMeasures {
	validateInput(input);
	const lambda = input.arrivalsPerHour / SECONDS_PER_HOUR;
	if (lambda === 0) return idleMeasures();
	const n = input.agents;
	const load = lambda * input.ahtSeconds;
	if (load >= n) {
		return {
			pWait: 1,
			pAbandon: 0,
			asaAnswered: Infinity,
			meanWaitAll: Infinity,
			slAnswered: 0,
			slOffered: 0,
			occupancy: 1
		};
	}
	const c = erlangC(n, load);
	const drain = n / input.ahtSeconds - lambda;
	const asa = c / drain;
	const sl = Math.min(1, Math.max(0, 1 - c * Math.exp(-drain * input.targetSeconds)));
	return {
		pWait: c,
		pAbandon: 0,
		asaAnswered: asa,
		meanWaitAll: asa,
		slAnswered: sl,
		slOffered: sl,
		occupancy: load / n
	};
}

function tailTooLong(): RangeError {
	return new RangeError(
		'Erlang A queue tail too long to sum: patience is too long for this overload; shorten it or use Erlang C'
	);
}

/** log(e^x + e^y) without overflow; -Infinity is the empty sum. */
function logAddExp(x: number, y: number): number {
	if (x === -Infinity) return y;
	if (y === -Infinity) return x;
	const hi = Math.max(x, y);
	return hi + Math.log1p(Math.exp(Math.min(x, y) - hi));
}

export function erlangAMeasures(input: QueueModelInput & { patienceSeconds: number }): QueueMeasures {
	validateInput(input);
	const patience = input.patienceSeconds;
	if (Number.isNaN(patience) || patience <= 0) {
		throw new RangeError(`patienceSeconds must be > 0, got ${patience}`);
	}
	// Infinite patience is exactly M/M/n; the tail sum below would not terminate when load >= n.
	if (patience === Infinity) return erlangCMeasures(input);

	const lambda = input.arrivalsPerHour / SECONDS_PER_HOUR;
	if (lambda === 0) return idleMeasures();
	const n = input.agents;
	const nMu = n / input.ahtSeconds;
	const theta = 1 / patience;
	const logLambda = Math.log(lambda);
	const logLoad = Math.log(lambda * input.ahtSeconds);
	// The tail peaks where the abandon rate absorbs the excess load, (λ − nμ)/θ states out.
	if ((lambda - nMu) / theta > MAX_TAIL_STATES) throw tailTooLong();

	// Pass 1: log normaliser and the truncation point J of the waiting states n..n+J.
	let logZ = -Infinity;
	let logW = 0;
	for (let k = 0; k <= n; k++) {
		if (k > 0) logW += logLoad - Math.log(k);
		logZ = logAddExp(logZ, logW);
	}
	const logWn = logW;
	let lastTail = 0;
	for (let j = 0; ; j++) {
		if (j > 0) {
			logW += logLambda - Math.log(nMu + j * theta);
			logZ = logAddExp(logZ, logW);
		}
		// Ratios of later terms only shrink, so q_j·r/(1−r) bounds the mass left and the bracket
		// bounds the j-weighted mass that E[queue] needs.
		const r = lambda / (nMu + (j + 1) * theta);
		if (r < 1) {
			const g = 1 / (1 - r);
			if (logW + Math.log((j + 1) * g + g * g) < logZ + LOG_TAIL_TOLERANCE) {
				lastTail = j;
				break;
			}
		}
		if (j >= MAX_TAIL_STATES) throw tailTooLong();
	}

	// Pass 2: normalised state probabilities and the per-state answer / wait / SL weights.
	let pBelow = 0; // P(k < n): answered at once
	let pWait = 0;
	let meanQueue = 0;
	let pAbandon = 0;
	let pAnsweredAfterWait = 0;
	let waitAnswered = 0; // E[W; answered]
	let slWaited = 0; // P(waited, answered, W <= T)
	logW = 0;
	for (let k = 0; k < n; k++) {
		if (k > 0) logW += logLoad - Math.log(k);
		pBelow += Math.exp(logW - logZ);
	}

	const T = input.targetSeconds;
	const b = nMu / theta + 1;
	const logX = T === Infinity ? 0 : Math.log(-Math.expm1(-theta * T));
	let logNb = T === Infinity ? -Infinity : -(nMu + theta) * T; // log t_0 = b·log(1 − x)
	let nbCdf = 0; // Σ_{i<=j} t_i; P(W <= T | answered, j) = 1 − nbCdf
	let harmonic = 0; // Σ_{m=1..j+1} 1/(nμ + mθ)

	logW = logWn;
	for (let j = 0; j <= lastTail; j++) {
		if (j > 0) {
			logW += logLambda - Math.log(nMu + j * theta);
			logNb += logX + Math.log(j - 1 + b) - Math.log(j);
		}
		const p = Math.exp(logW - logZ);
		const exitRate = nMu + (j + 1) * theta;
		const answered = nMu / exitRate;
		harmonic += 1 / exitRate;
		nbCdf += Math.exp(logNb);
		const withinT = T === 0 ? 0 : Math.max(0, 1 - nbCdf);

		pWait += p;
		meanQueue += j * p;
		pAbandon += (p * (j + 1) * theta) / exitRate;
		pAnsweredAfterWait += p * answered;
		waitAnswered += p * answered * harmonic;
		slWaited += p * answered * withinT;
	}

	// Summed separately instead of as 1 − pAbandon so that small abandon rates keep their precision.
	const pAnswered = pBelow + pAnsweredAfterWait;
	const slOffered = Math.min(1, pBelow + slWaited);
	return {
		pWait: Math.min(1, pWait),
		pAbandon: Math.min(1, pAbandon),
		asaAnswered: pAnswered > 0 ? waitAnswered / pAnswered : Infinity,
		meanWaitAll: meanQueue / lambda,
		slAnswered: pAnswered > 0 ? Math.min(1, slOffered / pAnswered) : 0,
		slOffered,
		occupancy: n > 0 ? Math.min(1, (lambda * pAnswered * input.ahtSeconds) / n) : 0
	};
}

function meetsTarget(m: QueueMeasures, target: StaffingTarget): boolean {
	if (target.sl !== undefined && m.slOffered < target.sl - TARGET_SLACK) return false;
	if (target.asaSeconds !== undefined && m.asaAnswered > target.asaSeconds + TARGET_SLACK) return false;
	if (target.maxAbandon !== undefined && m.pAbandon > target.maxAbandon + TARGET_SLACK) return false;
	if (target.maxOccupancy !== undefined && m.occupancy > target.maxOccupancy + TARGET_SLACK) return false;
	return true;
}

/**
 * Fewest agents meeting every given target. The measures improve monotonically with staffing, so
 * this brackets by doubling and bisects; the final downward step guards against float ties at the
 * boundary. Throws if the target is unreachable within opts.maxAgents.
 */
export function requiredAgents(
	model: 'c' | 'a',
	base: Omit<QueueModelInput, 'agents'>,
	target: StaffingTarget,
	opts?: { maxAgents?: number }
): { agents: number; measures: QueueMeasures } {
	const { sl, asaSeconds, maxAbandon, maxOccupancy } = target;
	if (sl === undefined && asaSeconds === undefined && maxAbandon === undefined && maxOccupancy === undefined) {
		throw new RangeError('requiredAgents needs at least one of sl, asaSeconds, maxAbandon, maxOccupancy');
	}
	const patience = base.patienceSeconds;
	if (model === 'a' && patience === undefined) {
		throw new RangeError("Erlang A staffing needs base.patienceSeconds");
	}
	const targetSeconds = target.slSeconds ?? base.targetSeconds;
	const load = (base.arrivalsPerHour / SECONDS_PER_HOUR) * base.ahtSeconds;
	const maxAgents = opts?.maxAgents ?? Math.max(100, 10 * Math.ceil(load) + 100);
	assertAgents(maxAgents);

	const cache = new Map<number, QueueMeasures>();
	const evaluate = (agents: number): QueueMeasures => {
		let m = cache.get(agents);
		if (m === undefined) {
			const input = { ...base, agents, targetSeconds };
			m =
				model === 'a' && patience !== undefined
					? erlangAMeasures({ ...input, patienceSeconds: patience })
					: erlangCMeasures(input);
			cache.set(agents, m);
		}
		return m;
	};
	const meets = (agents: number): boolean => meetsTarget(evaluate(agents), target);

	let fail = -1;
	let pass = Math.min(maxAgents, Math.max(1, Math.ceil(load)));
	while (!meets(pass)) {
		if (pass >= maxAgents) {
			throw new RangeError(`staffing target not reachable with ${maxAgents} agents`);
		}
		fail = pass;
		pass = Math.min(maxAgents, pass * 2);
	}
	while (pass - fail > 1) {
		const mid = Math.floor((pass + fail) / 2);
		if (meets(mid)) pass = mid;
		else fail = mid;
	}
	while (pass > 0 && meets(pass - 1)) pass--;
	return { agents: pass, measures: evaluate(pass) };
}
