/**
 * Service host names of moved Services: `<svc>.<from>.svc` and `<svc>.<from>.svc.<clusterDomain>`, and in text a
 * pod resolves through its DNS search path also the short `<svc>.<from>`. Istio hosts take only the full forms:
 * a host with a dot is a full name to Istio (pilot/pkg/model/config.go `ResolveShortnameToFQDN` completes only a
 * name without one, with the rule's own namespace).
 */
import type { Plan } from './plan.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern finding `<svc>.<from>[.svc[.<clusterDomain>]]` inside a text (not inside a longer name). */
function hostPattern(plan: Plan, short: boolean): RegExp {
  const from = escapeRegExp(plan.from);
  const domain = escapeRegExp(plan.config.clusterDomain);
  return new RegExp(
    `(?<![\\w.-])([a-z0-9](?:[-a-z0-9]*[a-z0-9])?)\\.${from}((?:\\.svc(?:\\.${domain})?)${short ? '?' : ''})(?![\\w-]|\\.[\\w-])`,
    'g',
  );
}

/**
 * The text with every host of a moved Service rewritten to `to`, and the Services it named. `short`: also
 * `<svc>.<from>` (env values, args, ConfigMaps: what the pod's resolver completes).
 */
export function rewriteHosts(
  plan: Plan,
  text: string,
  short = false,
): { text: string; moved: string[]; staying: string[] } {
  const moved: string[] = [];
  const staying: string[] = [];
  const next = text.replace(hostPattern(plan, short), (host: string, service: string, suffix: string) => {
    if (!plan.movedServices.has(service)) {
      staying.push(service);
      return host;
    }
    moved.push(service);
    return `${service}.${plan.to}${suffix}`;
  });
  return { text: next, moved, staying };
}
