/**
 * The YAML checked as it is typed: one `validate` request per pause in typing, per variant, and
 * only the newest answer counts (an answer to older text arriving late must not put back problems
 * already fixed).
 */
import type { Levers, ScenarioBrief, ScenarioProblem, ValidateResult } from '../protocol';

export type CheckStatus = 'unchecked' | 'checking' | 'valid' | 'invalid' | 'unavailable';

export interface Check {
	status: CheckStatus;
	/** the last valid brief, kept while the text is being fixed so the form keeps its figures */
	brief: ScenarioBrief | null;
	problems: ScenarioProblem[];
	/** why a check could not be made (no connection, a timeout) */
	message: string | null;
}

export type Validate = (yaml: string, levers: Levers) => Promise<ValidateResult>;

export const EMPTY_CHECK: Check = { status: 'unchecked', brief: null, problems: [], message: null };

export class ScenarioChecks {
	checks = $state.raw<Record<string, Check>>({});
	readonly #validate: Validate;
	readonly #delayMs: number;
	readonly #seq = new Map<string, number>();
	readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

	constructor(validate: Validate, delayMs = 350) {
		this.#validate = validate;
		this.#delayMs = delayMs;
	}

	get(variantId: string): Check {
		return this.checks[variantId] ?? EMPTY_CHECK;
	}

	#set(variantId: string, patch: Partial<Check>): void {
		this.checks = { ...this.checks, [variantId]: { ...this.get(variantId), ...patch } };
	}

	/** After a pause in typing. The status says "checking" at once, so a run is never started on stale text. */
	request(variantId: string, yaml: string, levers: Levers): void {
		clearTimeout(this.#timers.get(variantId));
		const seq = this.#bump(variantId);
		this.#set(variantId, { status: 'checking' });
		this.#timers.set(
			variantId,
			setTimeout(() => void this.#check(variantId, seq, yaml, levers), this.#delayMs)
		);
	}

	/** Without waiting: a scenario just picked or loaded. */
	async now(variantId: string, yaml: string, levers: Levers): Promise<void> {
		clearTimeout(this.#timers.get(variantId));
		const seq = this.#bump(variantId);
		this.#set(variantId, { status: 'checking' });
		await this.#check(variantId, seq, yaml, levers);
	}

	forget(variantId: string): void {
		clearTimeout(this.#timers.get(variantId));
		this.#timers.delete(variantId);
		this.#seq.delete(variantId);
		const { [variantId]: _gone, ...rest } = this.checks;
		this.checks = rest;
	}

	dispose(): void {
		for (const t of this.#timers.values()) clearTimeout(t);
		this.#timers.clear();
	}

	#bump(variantId: string): number {
		const seq = (this.#seq.get(variantId) ?? 0) + 1;
		this.#seq.set(variantId, seq);
		return seq;
	}

	async #check(variantId: string, seq: number, yaml: string, levers: Levers): Promise<void> {
		let result: ValidateResult;
		try {
			result = await this.#validate(yaml, levers);
		} catch (err) {
			if (this.#seq.get(variantId) !== seq) return;
			this.#set(variantId, {
				status: 'unavailable',
				message: `could not check the scenario: ${err instanceof Error ? err.message : String(err)}`
			});
			return;
		}
		if (this.#seq.get(variantId) !== seq) return;
		if (result.ok) this.#set(variantId, { status: 'valid', brief: result.brief, problems: [], message: null });
		else this.#set(variantId, { status: 'invalid', problems: result.problems, message: null });
	}
}
