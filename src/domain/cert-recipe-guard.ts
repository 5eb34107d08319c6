/**
 * On a pod that carries Istio's cert-mount recipe, the recipe wins: other sidecar settings may be added around it,
 * but a change that would undo one of its values (capture outbound traffic again, drop inbound bypass, move
 * OUTPUT_CERTS or the cert volume's mount, switch the sidecar off) is refused. This compares a pod's labels and
 * annotations before and after a proposed merge.
 */
import { parse } from 'yaml';
import { certVolumeName } from './istio-certs.js';

type StringMap = Readonly<Record<string, string>>;

const includeOutbound = 'traffic.sidecar.istio.io/includeOutboundIPRanges';
const includeInbound = 'traffic.sidecar.istio.io/includeInboundPorts';
const proxyConfig = 'proxy.istio.io/config';
const userVolumeMount = 'sidecar.istio.io/userVolumeMount';
const inject = 'sidecar.istio.io/inject';

function outputCerts(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    const config = parse(text) as { proxyMetadata?: { OUTPUT_CERTS?: unknown } } | null;
    return config?.proxyMetadata?.OUTPUT_CERTS;
  } catch {
    return undefined;
  }
}

function certMount(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  try {
    const mounts = JSON.parse(text) as unknown;
    if (!Array.isArray(mounts)) return undefined;
    const mount = mounts.find((m) => (m as { name?: unknown } | null)?.name === certVolumeName) as unknown;
    return mount === undefined ? undefined : JSON.stringify(mount);
  } catch {
    return undefined;
  }
}

/** True when pod annotations show the recipe: OUTPUT_CERTS in proxy.istio.io/config, or the cert volume mounted into the sidecar. */
export function carriesCertRecipe(annotations: StringMap): boolean {
  return (
    outputCerts(annotations[proxyConfig]) !== undefined ||
    certMount(annotations[userVolumeMount]) !== undefined
  );
}

/** One recipe value a merge would undo. */
export interface RecipeLoss {
  where: 'labels' | 'annotations';
  key: string;
  message: string;
}

/** What of the recipe a change from `before` to `after` undoes (nothing when the pod does not carry it). */
export function recipeLosses(
  before: { labels: StringMap; annotations: StringMap },
  after: { labels: StringMap; annotations: StringMap },
): RecipeLoss[] {
  if (!carriesCertRecipe(before.annotations)) return [];
  const losses: RecipeLoss[] = [];
  const a = (key: string, message: string): void => {
    losses.push({ where: 'annotations', key, message });
  };
  const b = before.annotations;
  const n = after.annotations;
  if (b[includeOutbound] === '' && n[includeOutbound] !== '')
    a(
      includeOutbound,
      `would capture "${n[includeOutbound]}" again; the cert recipe keeps "" (the scraper speaks Istio mTLS itself with the cert files, and a sidecar on its outbound path would wrap that TLS in its own)`,
    );
  if (b[includeInbound] === '' && n[includeInbound] !== '')
    a(
      includeInbound,
      `would capture "${n[includeInbound]}"; the cert recipe keeps "" (inbound: bypass takes the scraper's own ports out of the mesh)`,
    );
  const certs = outputCerts(b[proxyConfig]);
  if (certs !== undefined && outputCerts(n[proxyConfig]) !== certs)
    a(
      proxyConfig,
      `would set proxyMetadata.OUTPUT_CERTS to ${JSON.stringify(outputCerts(n[proxyConfig]) ?? null)}; the cert recipe needs ${JSON.stringify(certs)} (where the sidecar writes the certificates)`,
    );
  const mount = certMount(b[userVolumeMount]);
  if (mount !== undefined && certMount(n[userVolumeMount]) !== mount)
    a(
      userVolumeMount,
      `would change the ${certVolumeName} mount ${mount}; the cert recipe needs it as it is`,
    );
  for (const where of ['labels', 'annotations'] as const) {
    if (before[where][inject] !== 'false' && after[where][inject] === 'false')
      losses.push({
        where,
        key: inject,
        message: `would switch the sidecar off ("false"); the cert recipe needs it: the sidecar writes the certificates`,
      });
  }
  return losses;
}
