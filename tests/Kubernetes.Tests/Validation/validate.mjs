// Reads the YAML a kustomize overlay renders (file named by the first argument) and prints JSON: the documents as
// parsed, and every problem found. Kubernetes' own kinds are checked with kubernetes-models (the API's OpenAPI
// schemas: types, required fields, formats); the operators' custom resources with the JSON schemas in crds/.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import Ajv from 'ajv';
import { Affinity } from 'kubernetes-models/v1/Affinity';

const here = dirname(fileURLToPath(import.meta.url));
const ajv = new Ajv({ allErrors: true, strict: false });
const custom = new Map();
for (const file of readdirSync(join(here, 'crds'))) {
  const schema = JSON.parse(readFileSync(join(here, 'crds', file), 'utf8'));
  custom.set(`${schema.properties.apiVersion.const}/${schema.properties.kind.const}`, ajv.compile(schema));
}

const parsed = parseAllDocuments(readFileSync(process.argv[2], 'utf8'));
const documents = [];
const problems = [];
for (const document of parsed) {
  if (document.errors.length > 0) {
    problems.push({ kind: '?', name: '?', message: document.errors.map((e) => e.message).join('; ') });
    continue;
  }

  const object = document.toJS();
  if (object === null) continue;
  documents.push(object);
  const where = { apiVersion: object.apiVersion, kind: object.kind, name: object.metadata?.name };
  const key = `${object.apiVersion}/${object.kind}`;
  if (custom.has(key)) {
    const validate = custom.get(key);
    if (!validate(object)) problems.push({ ...where, message: ajv.errorsText(validate.errors, { separator: '; ' }) });
    if (object.kind === 'RabbitmqCluster' && object.spec?.affinity) check(() => new Affinity(object.spec.affinity).validate(), where);
    continue;
  }

  const modulePath = object.apiVersion?.includes('/') ? `kubernetes-models/${object.apiVersion}/${object.kind}` : `kubernetes-models/v1/${object.kind}`;
  let Model;
  try {
    Model = (await import(modulePath))[object.kind];
  } catch {
    problems.push({ ...where, message: `no schema for ${key}: not a Kubernetes kind, and no custom resource schema in crds/` });
    continue;
  }

  check(() => new Model(object).validate(), where);
}

function check(validate, where) {
  try {
    validate();
  } catch (error) {
    problems.push({ ...where, message: error.message });
  }
}

process.stdout.write(JSON.stringify({ documents, problems }));
