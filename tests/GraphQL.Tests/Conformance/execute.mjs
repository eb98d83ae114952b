// Reads a JSON array of {sdl, root, query, variables, operationName} from the file named by the first argument and
// prints graphql-js's execution result for each ({data?, errors?}), with the default resolvers (a field reads the
// property of its name) and the default type resolver (__typename). Validation is not run: the cases are valid.
import { readFileSync } from 'node:fs';
import { buildSchema, execute, parse } from 'graphql';

const cases = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const results = [];
for (const c of cases) {
  const result = await execute({
    schema: buildSchema(c.sdl),
    document: parse(c.query),
    rootValue: c.root,
    variableValues: c.variables ?? undefined,
    operationName: c.operationName ?? undefined,
  });
  results.push(JSON.parse(JSON.stringify(result)));
}
process.stdout.write(JSON.stringify(results));
