/** The call center both benchmark worlds model: two queues, agents with one or both skills, hot-call leads. */

export const QUEUES = ['sales', 'support'] as const;
export const SOURCES = ['web-form', 'pricing-page', 'campaign', 'after-hours'] as const;
export const VALUES = [500, 1000, 2000, 5000] as const;
export const MINUTE_MS = 60_000;

/** Skills of agent i: two fifths sales only, two fifths support only, one fifth both. */
export function agentSkills(i: number): Record<string, number> {
	const k = i % 5;
	return k < 2 ? { sales: 1 } : k < 4 ? { support: 1 } : { sales: 1, support: 1 };
}
