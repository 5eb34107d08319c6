/** Service host names of moved Services: `<svc>.<from>.svc` and `<svc>.<from>.svc.<clusterDomain>`. */
import type { Plan } from './plan.js';

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A pattern finding `<svc>.<from>.svc[.<clusterDomain>]` inside a text (not inside a longer name). */
function hostPattern(plan: Plan): RegExp {
  const from = escapeRegExp(plan.from);
  const domain = escapeRegExp(plan.config.clusterDomain);
  return new RegExp(
    `(?<![\\w.-])([a-z0-9]([-a-z0-9]*[a-z0-9])?)\\.${from}\\.svc(\\.${domain})?(?![\\w-]|\\.[\\w-])`,
    'g',
  );
}

/** The text with every host of a moved Service rewritten to `to`, and the Services it named. */
export function rewriteHosts(plan: Plan, text: string): { text: string; moved: string[]; staying: string[] } {
  const moved: string[] = [];
  const staying: string[] = [];
  const next = text.replace(
    hostPattern(plan),
    (host: string, service: string, _l: unknown, domain?: string) => {
      if (!plan.movedServices.has(service)) {
        staying.push(service);
        return host;
      }
      moved.push(service);
      return `${service}.${plan.to}.svc${domain ?? ''}`;
    },
  );
  return { text: next, moved, staying };
}
