/** Two-sided 95% Student t quantiles for 1..10 degrees of freedom; beyond, a Cornish–Fisher expansion. */
const T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228];

export function tQuantile975(df: number): number {
	if (df < 1) return Number.NaN;
	if (df <= T975.length) return T975[df - 1] as number;
	const z = 1.959963984540054;
	const z3 = z ** 3,
		z5 = z ** 5,
		z7 = z ** 7;
	return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/** Mean and 95% half-width of the non-null values (null when there are none; half-width null below two). */
export function meanAndHalfWidth(values: ReadonlyArray<number | null>): { mean: number | null; halfWidth: number | null } {
	const xs = values.filter((v): v is number => v !== null && Number.isFinite(v));
	if (xs.length === 0) return { mean: null, halfWidth: null };
	const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
	if (xs.length < 2) return { mean, halfWidth: null };
	const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1);
	return { mean, halfWidth: tQuantile975(xs.length - 1) * Math.sqrt(variance / xs.length) };
}
