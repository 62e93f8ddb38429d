/**
 * A study as the page holds it: up to four labelled variants (scenario + levers + run settings)
 * and the sweep range. The same shape is what a share URL carries, so it is checked with zod on
 * the way in: a hand-edited or truncated link must become a message, not a broken page.
 */
import { z } from 'zod';
import {
	leversSchema,
	MAX_AGENTS,
	MAX_REPLICATIONS,
	MAX_SCENARIO_TEXT,
	MAX_SWEEP_LEVELS,
	scenarioOriginSchema,
	type Levers,
	type ScenarioOrigin,
	type StudyInput
} from '../protocol';

export const MAX_VARIANTS = 4;
export const DEFAULT_SEED = 1;
export const DEFAULT_REPLICATIONS = 5;

export interface Variant {
	/** the page's own key for the variant; never shared */
	id: string;
	label: string;
	origin: ScenarioOrigin;
	yaml: string;
	/** the YAML differs from the shipped file it came from (so a share must carry it) */
	edited: boolean;
	levers: Levers;
	seed: number;
	replications: number;
}

export interface SweepRange {
	from: number;
	to: number;
	step: number;
}

export interface Study {
	variants: Variant[];
	sweep: SweepRange;
}

const sharedVariantSchema = z
	.object({
		label: z.string().min(1).max(64),
		origin: scenarioOriginSchema,
		/** absent only for an unedited shipped scenario, which is looked up by name */
		yaml: z.string().max(MAX_SCENARIO_TEXT).optional(),
		levers: leversSchema,
		seed: z.number().int().min(0).max(0xffff_ffff),
		replications: z.number().int().min(1).max(MAX_REPLICATIONS)
	})
	.strict()
	.refine((v) => v.yaml !== undefined || v.origin.kind === 'shipped', {
		message: 'an uploaded or from-now scenario needs its YAML'
	});

const sweepRangeSchema = z
	.object({
		from: z.number().int().min(1).max(MAX_AGENTS),
		to: z.number().int().min(1).max(MAX_AGENTS),
		step: z.number().int().min(1).max(MAX_AGENTS)
	})
	.strict();

export const SHARE_VERSION = 1;

export const sharedStudySchema = z
	.object({
		v: z.literal(SHARE_VERSION),
		variants: z.array(sharedVariantSchema).min(1).max(MAX_VARIANTS),
		sweep: sweepRangeSchema
	})
	.strict();
export type SharedStudy = z.infer<typeof sharedStudySchema>;

/** What a link carries: the YAML only where the shipped file by name would not give it back. */
export function toShared(study: Study): SharedStudy {
	return {
		v: SHARE_VERSION,
		variants: study.variants.map((v) => ({
			label: v.label,
			origin: v.origin,
			...(v.origin.kind !== 'shipped' || v.edited ? { yaml: v.yaml } : {}),
			levers: v.levers,
			seed: v.seed,
			replications: v.replications
		})),
		sweep: { ...study.sweep }
	};
}

/**
 * Back from a link. `shipped` gives a shipped file's YAML by name; a name it does not know
 * (a file renamed since the link was made) is a problem reported, not a silent empty scenario.
 */
export function fromShared(
	shared: SharedStudy,
	shipped: (name: string) => string | undefined,
	newId: () => string
): { ok: true; study: Study } | { ok: false; message: string } {
	const variants: Variant[] = [];
	for (const v of shared.variants) {
		let yaml = v.yaml;
		const edited = v.origin.kind === 'shipped' && yaml !== undefined;
		if (yaml === undefined && v.origin.kind === 'shipped') {
			yaml = shipped(v.origin.name);
			if (yaml === undefined)
				return { ok: false, message: `the link names a shipped scenario this server does not have: ${v.origin.name}` };
		}
		if (yaml === undefined) return { ok: false, message: `variant “${v.label}” has no scenario` };
		variants.push({
			id: newId(),
			label: v.label,
			origin: v.origin,
			yaml,
			edited,
			levers: v.levers,
			seed: v.seed,
			replications: v.replications
		});
	}
	return { ok: true, study: { variants, sweep: { ...shared.sweep } } };
}

export function studyInput(v: Variant): StudyInput {
	return { label: v.label, origin: v.origin, yaml: v.yaml, levers: v.levers, seed: v.seed, replications: v.replications };
}

/** A label not yet used among the variants: "variant 2", "variant 3"... */
export function freshLabel(taken: readonly string[], stem = 'variant'): string {
	for (let n = taken.length + 1; ; n++) {
		const label = `${stem} ${n}`;
		if (!taken.includes(label)) return label;
	}
}

/** The sweep's agent counts, as the server will run them; null with the reason when the range is unusable. */
export function sweepLevels(range: SweepRange): { ok: true; levels: number[] } | { ok: false; reason: string } {
	const { from, to, step } = range;
	if (![from, to, step].every((n) => Number.isInteger(n) && n >= 1))
		return { ok: false, reason: 'from, to and step must be whole numbers of at least 1' };
	if (to < from) return { ok: false, reason: '“to” must not be below “from”' };
	const count = Math.floor((to - from) / step) + 1;
	if (count > MAX_SWEEP_LEVELS) return { ok: false, reason: `${count} levels; at most ${MAX_SWEEP_LEVELS} (use a larger step)` };
	return { ok: true, levels: Array.from({ length: count }, (_, i) => from + i * step) };
}

/** Why a variant's run settings cannot be sent (a cleared or fractional field), or null. */
export function settingsProblem(v: Pick<Variant, 'seed' | 'replications'>): string | null {
	const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
	if (!whole(v.replications) || v.replications < 1 || v.replications > MAX_REPLICATIONS)
		return `replications must be a whole number from 1 to ${MAX_REPLICATIONS}`;
	if (!whole(v.seed) || v.seed < 0 || v.seed > 0xffff_ffff) return 'the seed must be a whole number from 0 to 4294967295';
	return null;
}
