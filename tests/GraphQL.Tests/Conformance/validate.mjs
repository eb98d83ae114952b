// Reads a JSON array of {sdl, query} from the file named by the first argument and prints, for each, the errors
// graphql-js's validate() finds with its specified rules (the @defer/@stream ones do not apply to our engine).
import { readFileSync } from 'node:fs';
import { buildSchema, parse, specifiedRules, validate } from 'graphql';

const notApplicable = new Set([
  'DeferStreamDirectiveOnRootFieldRule', 'DeferStreamDirectiveOnValidOperationsRule', 'DeferStreamDirectiveLabelRule', 'StreamDirectiveOnListFieldRule',
]);
const rules = specifiedRules.filter((rule) => !notApplicable.has(rule.name));
const results = JSON.parse(readFileSync(process.argv[2], 'utf8')).map((c) =>
  validate(buildSchema(c.sdl), parse(c.query), rules).map((e) => ({ message: e.message, locations: e.locations ?? [] })));
process.stdout.write(JSON.stringify(results));
