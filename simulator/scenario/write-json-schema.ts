/**
 * Regenerates scenarios/scenario.schema.json from the zod schema:
 *   npx tsx simulator/scenario/write-json-schema.ts
 * json-schema.spec.ts fails when the committed file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { scenarioJsonSchemaText } from './json-schema';

export const SCHEMA_PATH = fileURLToPath(new URL('../../scenarios/scenario.schema.json', import.meta.url));

writeFileSync(SCHEMA_PATH, scenarioJsonSchemaText());
console.log(`wrote ${SCHEMA_PATH}`);
