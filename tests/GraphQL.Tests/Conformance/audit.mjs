// Runs graphql-http's server audits (the GraphQL-over-HTTP specification's MUST, SHOULD and MAY checks) against
// the endpoint named by the first argument and prints each audit's id, name, status and reason.
import { serverAudits } from 'graphql-http';

const results = [];
for (const audit of serverAudits({ url: process.argv[2] })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
process.stdout.write(JSON.stringify(results));
