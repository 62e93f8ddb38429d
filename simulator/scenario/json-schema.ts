import { z } from 'zod';
import { scenarioFileSchema } from './schema';

/**
 * JSON Schema of the scenario file for editors (yaml-language-server, VS Code). It describes the
 * text form (durations as "4m"), so it is generated from the input side of the zod schema.
 * Cross-references (an arrival's queue exists...) are beyond JSON Schema; the loader checks them.
 */
export function scenarioJsonSchema(): Record<string, unknown> {
	return z.toJSONSchema(scenarioFileSchema, { io: 'input', target: 'draft-07', unrepresentable: 'throw' }) as Record<string, unknown>;
}

/** The committed file's exact text: two-space JSON and a final newline. */
export function scenarioJsonSchemaText(): string {
	return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
