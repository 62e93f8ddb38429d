import { describe, expect, it } from 'vitest';
import { buildCurve } from './curves';
import { loadExpressionSupport } from './expression';

describe('expression support is loaded on demand', () => {
	it('refuses an expression curve until mathjs is loaded, then builds it', async () => {
		expect(() => buildCurve({ shape: 'expression', expr: '0.2*exp(-w/60)' })).toThrow(/await loadExpressionSupport\(\)/);
		// the other shapes never need it
		expect(buildCurve({ shape: 'exponential', p0: 0.2, tauSeconds: 60 }).p(0)).toBeCloseTo(0.2, 12);
		await loadExpressionSupport();
		expect(buildCurve({ shape: 'expression', expr: '0.2*exp(-w/60)' }).p(60_000)).toBeCloseTo(0.2 * Math.exp(-1), 6);
	});
});
