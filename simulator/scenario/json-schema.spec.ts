import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { scenarioJsonSchema, scenarioJsonSchemaText } from './json-schema';

const SCENARIOS = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const committed = readFileSync(`${SCENARIOS}scenario.schema.json`, 'utf8');

type Schema = Record<string, unknown>;

const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'definitions']);

/**
 * A validator for the draft-07 keywords the generated schema uses, so the spec can check that an
 * editor would agree with the loader. It refuses keywords it does not know rather than skip them.
 */
function validate(schema: Schema, value: unknown, root: Schema, at = ''): string[] {
	const errors: string[] = [];
	const fail = (why: string) => errors.push(`${at || '(root)'}: ${why}`);
	for (const [key, rule] of Object.entries(schema)) {
		switch (key) {
			case '$ref': {
				const name = String(rule).replace('#/definitions/', '');
				const target = (root.definitions as Record<string, Schema>)[name];
				if (target === undefined) fail(`dangling $ref ${String(rule)}`);
				else errors.push(...validate(target, value, root, at));
				break;
			}
			case 'allOf':
				for (const s of rule as Schema[]) errors.push(...validate(s, value, root, at));
				break;
			case 'anyOf':
				if (!(rule as Schema[]).some((s) => validate(s, value, root, at).length === 0)) fail('matches no anyOf option');
				break;
			case 'oneOf': {
				const n = (rule as Schema[]).filter((s) => validate(s, value, root, at).length === 0).length;
				if (n !== 1) fail(`matches ${n} oneOf options`);
				break;
			}
			case 'type': {
				const t = rule as string;
				const ok =
					t === 'integer'
						? Number.isInteger(value)
						: t === 'array'
							? Array.isArray(value)
							: t === 'object'
								? value !== null && typeof value === 'object' && !Array.isArray(value)
								: t === 'null'
									? value === null
									: typeof value === t;
				if (!ok) fail(`expected ${t}`);
				break;
			}
			case 'enum':
				if (!(rule as unknown[]).includes(value)) fail('not in enum');
				break;
			case 'const':
				if (value !== rule) fail(`expected ${JSON.stringify(rule)}`);
				break;
			case 'pattern':
				if (typeof value === 'string' && !new RegExp(rule as string).test(value)) fail(`does not match ${String(rule)}`);
				break;
			case 'minimum':
				if (typeof value === 'number' && value < (rule as number)) fail(`below ${String(rule)}`);
				break;
			case 'maximum':
				if (typeof value === 'number' && value > (rule as number)) fail(`above ${String(rule)}`);
				break;
			case 'exclusiveMinimum':
				if (typeof value === 'number' && value <= (rule as number)) fail(`not above ${String(rule)}`);
				break;
			case 'minLength':
				if (typeof value === 'string' && value.length < (rule as number)) fail('too short');
				break;
			case 'maxLength':
				if (typeof value === 'string' && value.length > (rule as number)) fail('too long');
				break;
			case 'minItems':
				if (Array.isArray(value) && value.length < (rule as number)) fail('too few items');
				break;
			case 'maxItems':
				if (Array.isArray(value) && value.length > (rule as number)) fail('too many items');
				break;
			case 'items':
				if (!Array.isArray(value)) break;
				if (Array.isArray(rule)) {
					(rule as Schema[]).forEach((s, i) => {
						if (i < value.length) errors.push(...validate(s, value[i], root, `${at}[${i}]`));
					});
				} else value.forEach((v, i) => errors.push(...validate(rule as Schema, v, root, `${at}[${i}]`)));
				break;
			case 'additionalItems':
				if (rule === false && Array.isArray(value) && Array.isArray(schema.items) && value.length > schema.items.length) {
					fail('too many items');
				}
				break;
			case 'required':
				if (value !== null && typeof value === 'object') {
					for (const k of rule as string[]) if (!(k in value)) fail(`missing ${k}`);
				}
				break;
			case 'properties':
				if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
					for (const [k, s] of Object.entries(rule as Record<string, Schema>)) {
						if (k in value) errors.push(...validate(s, (value as Record<string, unknown>)[k], root, `${at}.${k}`));
					}
				}
				break;
			case 'patternProperties':
			case 'propertyNames':
				break; // applied with additionalProperties below, or names are free-form ids
			case 'additionalProperties':
				if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
					const props = (schema.properties ?? {}) as Record<string, Schema>;
					const patterns = Object.keys((schema.patternProperties ?? {}) as Schema).map((p) => new RegExp(p));
					for (const [k, v] of Object.entries(value)) {
						if (k in props || patterns.some((p) => p.test(k))) continue;
						if (rule === false) fail(`unexpected property ${k}`);
						else errors.push(...validate(rule as Schema, v, root, `${at}.${k}`));
					}
				}
				break;
			default:
				if (!ANNOTATIONS.has(key)) fail(`the spec's validator does not know the keyword ${key}`);
		}
	}
	return errors;
}

describe('scenarios/scenario.schema.json', () => {
	it('is up to date with the zod schema (regenerate: npx tsx simulator/scenario/write-json-schema.ts)', () => {
		expect(committed).toBe(scenarioJsonSchemaText());
	});

	it('is a draft-07 schema of a closed mapping with the required sections', () => {
		const schema = scenarioJsonSchema();
		expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
		expect(schema.required).toEqual(['name', 'horizon', 'queues', 'arrivals', 'agents']);
		expect(schema.additionalProperties).toBe(false);
		expect(schema.patternProperties).toEqual({ '^x-': {} });
	});

	const schema = JSON.parse(committed) as Schema;
	const files = readdirSync(SCENARIOS).filter((f) => f.endsWith('.yaml'));

	it.each(files)('accepts the shipped %s', (file) => {
		const doc: unknown = parse(readFileSync(`${SCENARIOS}${file}`, 'utf8'), { merge: true });
		expect(validate(schema, doc, schema)).toEqual([]);
	});

	it('flags what an editor should flag', () => {
		const doc = parse(readFileSync(`${SCENARIOS}reference.yaml`, 'utf8')) as Record<string, unknown>;
		expect(validate(schema, { ...doc, horizn: '8h' }, schema)).toContain('(root): unexpected property horizn');
		expect(validate(schema, { ...doc, horizon: 'eight hours' }, schema)).toContain('.horizon: matches no anyOf option');
		expect(validate(schema, { ...doc, handleTime: { dist: 'normal', mean: '4m' } }, schema)).toContain(
			'.handleTime: matches no anyOf option'
		);
		expect(validate(schema, { ...doc, 'x-anchors': { anything: 1 } }, schema)).toEqual([]);
	});
});
