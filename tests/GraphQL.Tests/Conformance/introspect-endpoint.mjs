// What a standard GraphQL tool does with a live endpoint: send graphql-js's getIntrospectionQuery() (each
// variant the tools use), rebuild the schema with buildClientSchema and print it. Arguments: the endpoint's URL,
// the Authorization header's value, and an SDL file whose printSchema(buildSchema(sdl)) the client schema must equal.
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, getIntrospectionQuery, printSchema } from 'graphql';

const [endpoint, authorization, sdlFile] = process.argv.slice(2);
const variants = {
  default: {},
  withoutDescriptions: { descriptions: false },
  specifiedByUrl: { specifiedByUrl: true },
  directiveIsRepeatable: { directiveIsRepeatable: true },
  schemaDescription: { schemaDescription: true },
  inputValueDeprecation: { inputValueDeprecation: true },
  everything: { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true, oneOf: true },
};
const expected = printSchema(buildSchema(readFileSync(sdlFile, 'utf8')));
const results = [];
for (const [variant, options] of Object.entries(variants)) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', authorization },
    body: JSON.stringify({ query: getIntrospectionQuery(options), operationName: 'IntrospectionQuery' }),
  });
  const body = await response.json();
  let printed = null;
  let failure = body.errors ? JSON.stringify(body.errors) : null;
  if (!failure) {
    try {
      printed = printSchema(buildClientSchema(body.data));
    } catch (error) {
      failure = String(error);
    }
  }
  results.push({ variant, status: response.status, failure, printed, expected });
}
process.stdout.write(JSON.stringify(results));
