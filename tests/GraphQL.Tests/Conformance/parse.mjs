// Reads a JSON array of GraphQL documents from the file named by the first argument and prints, for each, what graphql-js's parser says:
// {"ok": true} or {"ok": false, "line": n, "column": n, "message": "..."}. The October 2021 grammar requires a
// selection set to hold at least one selection; graphql-js 17 allows empty ones unless told otherwise.
import { readFileSync } from 'node:fs';
import { parse } from 'graphql';

const input = readFileSync(process.argv[2], 'utf8');

const results = JSON.parse(input).map((source) => {
  try {
    parse(source, { allowEmptySelectionSets: false });
    return { ok: true };
  } catch (error) {
    const location = error.locations?.[0] ?? { line: 0, column: 0 };
    return { ok: false, line: location.line, column: location.column, message: error.message };
  }
});
process.stdout.write(JSON.stringify(results));
