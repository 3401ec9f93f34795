/**
 * `npm run events:schemas`: writes the JSON Schema of every change event type to
 * docs/events/v<N>/<type>.schema.json from the zod schemas in lambdas/events/schemas.ts.
 * test/events/schemas.test.ts fails when the committed files differ from what this writes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENT_TYPES, eventJsonSchema, eventSchemaPath } from '../lambdas/events';

const docs = fileURLToPath(new URL('../docs/events/', import.meta.url));
for (const type of EVENT_TYPES) {
  const file = join(docs, eventSchemaPath(type));
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(eventJsonSchema(type), null, 2)}\n`);
  process.stdout.write(`${file}\n`);
}
