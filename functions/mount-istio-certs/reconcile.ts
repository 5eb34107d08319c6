/** What mount-istio-certs generates: DestinationRules for bypassing scrapers, self-scrape PeerAuthentications. */
export type { Wanted } from '../../src/domain/generated-reconcile.js';

/** The function's name, as its generated resources carry it. */
export const functionName = 'mount-istio-certs';

/** The kinds it generates, with their API groups. */
export const generatedKinds: Readonly<Record<string, string>> = {
  DestinationRule: 'networking.istio.io',
  PeerAuthentication: 'security.istio.io',
};
