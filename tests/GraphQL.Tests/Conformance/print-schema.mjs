// Reads a JSON array of SDL documents from the file named by the first argument and prints, for each, what
// graphql-js makes of it: {"ok": true, "printed": printSchema(buildSchema(sdl))} for a valid schema, or {"ok": false, "message": "..."}.
import { readFileSync } from 'node:fs';
import { assertValidSchema, buildSchema, printSchema } from 'graphql';

const results = JSON.parse(readFileSync(process.argv[2], 'utf8')).map((sdl) => {
  try {
    // buildSchema checks the SDL's rules; the type system's own rules (a union of object types, ...) are
    // validateSchema's. Our builder checks both when it builds, so both run here.
    const schema = buildSchema(sdl);
    assertValidSchema(schema);
    return { ok: true, printed: printSchema(schema) };
  } catch (error) {
    return { ok: false, message: error.message };
  }
});
process.stdout.write(JSON.stringify(results));
