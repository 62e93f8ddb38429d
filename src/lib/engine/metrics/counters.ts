/**
 * Additive tallies of one scope over one stretch of time. Everything is a plain sum so that a day,
 * an interval and a rolling window are the same shape and windows combine by adding.
 */
export class Counters {
	offered = 0;
	answered = 0;
	/** answered within the queue's service-level seconds */
	answeredInSl = 0;
	/** answered after a wait longer than zero */
	answeredDelayed = 0;
	abandoned = 0;
	/** abandoned sooner than the queue's short-abandon seconds */
	shortAbandoned = 0;
	/** left for an overflow tier (AI receptionist) */
	overflowed = 0;
	voicemail = 0;
	callbacks = 0;
	transfers = 0;
	waitAnsweredMs = 0;
	waitAbandonedMs = 0;
	/** calls whose agent work ended (ended or transferred after an answer) */
	handled = 0;
	talkMs = 0;
	wrapMs = 0;
	/** expected or booked conversions */
	conversions = 0;
	revenue = 0;
	/** expected revenue lost to waiting and abandonment */
	revenueLost = 0;
	/** agent-time in each state (agent x ms) */
	availableMs = 0;
	busyMs = 0;
	wrapUpMs = 0;
	awayMs = 0;

	clone(): Counters {
		const c = new Counters();
		this.addInto(c);
		return c;
	}

	reset(): void {
		this.offered = this.answered = this.answeredInSl = this.answeredDelayed = this.abandoned = this.shortAbandoned = 0;
		this.overflowed = this.voicemail = this.callbacks = this.transfers = 0;
		this.waitAnsweredMs = this.waitAbandonedMs = this.handled = this.talkMs = this.wrapMs = 0;
		this.conversions = this.revenue = this.revenueLost = 0;
		this.availableMs = this.busyMs = this.wrapUpMs = this.awayMs = 0;
	}

	addInto(t: Counters): void {
		t.offered += this.offered;
		t.answered += this.answered;
		t.answeredInSl += this.answeredInSl;
		t.answeredDelayed += this.answeredDelayed;
		t.abandoned += this.abandoned;
		t.shortAbandoned += this.shortAbandoned;
		t.overflowed += this.overflowed;
		t.voicemail += this.voicemail;
		t.callbacks += this.callbacks;
		t.transfers += this.transfers;
		t.waitAnsweredMs += this.waitAnsweredMs;
		t.waitAbandonedMs += this.waitAbandonedMs;
		t.handled += this.handled;
		t.talkMs += this.talkMs;
		t.wrapMs += this.wrapMs;
		t.conversions += this.conversions;
		t.revenue += this.revenue;
		t.revenueLost += this.revenueLost;
		t.availableMs += this.availableMs;
		t.busyMs += this.busyMs;
		t.wrapUpMs += this.wrapUpMs;
		t.awayMs += this.awayMs;
	}
}

/** The industry figures derived from counters; see README "Metrics" for each definition. */
export interface DerivedMetrics {
	offered: number;
	answered: number;
	abandoned: number;
	shortAbandoned: number;
	overflowed: number;
	voicemail: number;
	callbacks: number;
	/** mean wait of answered calls, seconds */
	asa: number | null;
	/** mean wait of answered and abandoned calls, seconds */
	meanWaitAll: number | null;
	/** (answered after a wait + abandoned) / (answered + abandoned) */
	pWait: number | null;
	/** answered within T / answered */
	slAnswered: number | null;
	/** answered within T / (answered + abandoned - short abandoned) */
	slOffered: number | null;
	/** (abandoned - short) / (answered + abandoned - short) */
	abandonRate: number | null;
	/** (talk + wrap) / handled, seconds */
	aht: number | null;
	/** (busy + wrap-up) / (available + busy + wrap-up) agent time */
	occupancy: number | null;
	conversions: number;
	revenue: number;
	revenueLost: number;
	/** conversions / offered */
	conversionRate: number | null;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function derive(c: Counters): DerivedMetrics {
	const settled = c.answered + c.abandoned - c.shortAbandoned;
	return {
		offered: c.offered,
		answered: c.answered,
		abandoned: c.abandoned,
		shortAbandoned: c.shortAbandoned,
		overflowed: c.overflowed,
		voicemail: c.voicemail,
		callbacks: c.callbacks,
		asa: c.answered > 0 ? c.waitAnsweredMs / c.answered / 1000 : null,
		meanWaitAll: c.answered + c.abandoned > 0 ? (c.waitAnsweredMs + c.waitAbandonedMs) / (c.answered + c.abandoned) / 1000 : null,
		pWait: ratio(c.answeredDelayed + c.abandoned, c.answered + c.abandoned),
		slAnswered: ratio(c.answeredInSl, c.answered),
		slOffered: ratio(c.answeredInSl, settled),
		abandonRate: ratio(c.abandoned - c.shortAbandoned, settled),
		aht: c.handled > 0 ? (c.talkMs + c.wrapMs) / c.handled / 1000 : null,
		occupancy: ratio(c.busyMs + c.wrapUpMs, c.availableMs + c.busyMs + c.wrapUpMs),
		conversions: c.conversions,
		revenue: c.revenue,
		revenueLost: c.revenueLost,
		conversionRate: ratio(c.conversions, c.offered)
	};
}
