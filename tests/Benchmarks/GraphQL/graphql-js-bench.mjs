// graphql-js side of the GraphQL benchmark: the same schema, data and documents as ours (from the JSON file named by
// the first argument), each operation run repeatedly for about two seconds after a warm-up; prints ops/s per case.
import { readFileSync } from 'node:fs';
import { buildSchema, execute, parse, validate } from 'graphql';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const schema = buildSchema(input.sdl);
const root = input.root;

async function measure(fn) {
  const warmUntil = performance.now() + 500;
  while (performance.now() < warmUntil) await fn();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < 2000) { await fn(); count++; }
  return count / ((performance.now() - start) / 1000);
}

const results = {};
for (const [name, query] of Object.entries(input.queries)) {
  const document = parse(query);
  results[name] = {
    parse: await measure(() => parse(query)),
    validate: await measure(() => validate(schema, document)),
    execute: await measure(() => execute({ schema, document, rootValue: root })),
    pipeline: await measure(async () => {
      const d = parse(query);
      if (validate(schema, d).length === 0) await execute({ schema, document: d, rootValue: root });
    }),
  };
}
process.stdout.write(JSON.stringify(results));
