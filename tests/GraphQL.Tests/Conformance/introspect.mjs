// Reads a JSON array of SDL documents from the file named by the first argument and prints, for each, the full
// introspection query graphql-js clients send (every option on) and graphql-js's result of it on that schema,
// plus printSchema(buildClientSchema(result)): what a client tool would reconstruct from the answer.
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, execute, getIntrospectionQuery, parse, printSchema } from 'graphql';

const query = getIntrospectionQuery({
  descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true,
});
const results = [];
for (const sdl of JSON.parse(readFileSync(process.argv[2], 'utf8'))) {
  const result = JSON.parse(JSON.stringify(await execute({ schema: buildSchema(sdl), document: parse(query) })));
  results.push({ query, result, clientSchema: printSchema(buildClientSchema(result.data)) });
}
process.stdout.write(JSON.stringify(results));
