/** Validates resources against a CRD's openAPIV3Schema with ajv, as the API server would (structurally). */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';

interface Crd {
  spec: { versions: { name: string; schema: { openAPIV3Schema: Record<string, unknown> } }[] };
}

/** A validator for one version of the CRD in `file`; errors come back as readable strings. */
export function crdValidator(file: string, version: string): (resource: unknown) => string[] {
  return validatorOf(parse(readFileSync(file, 'utf8')) as Crd, file, version);
}

/** A validator for the CRD of one kind in a file holding several CRDs (test/fixtures/crds/istio.yaml). */
export function crdValidatorOfKind(
  file: string,
  kind: string,
  version: string,
): (resource: unknown) => string[] {
  const crds = parseAllDocuments(readFileSync(file, 'utf8')).map(
    (d) => d.toJS() as Crd & { spec: { names: { kind: string } } },
  );
  const crd = crds.find((c) => c?.spec?.names?.kind === kind);
  if (!crd) throw new Error(`no CRD of kind ${kind} in ${file}`);
  return validatorOf(crd, file, version);
}

function validatorOf(crd: Crd, file: string, version: string): (resource: unknown) => string[] {
  const schema = crd.spec.versions.find((v) => v.name === version)?.schema.openAPIV3Schema;
  if (!schema) throw new Error(`no version ${version} in ${file}`);
  // Kubernetes' x-kubernetes-* keywords and int32/int64 formats are not JSON Schema; ajv ignores them when not strict.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const validate: ValidateFunction = ajv.compile(schema);
  return (resource) => {
    if (validate(resource)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
  };
}
