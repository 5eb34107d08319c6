/**
 * Whether Istio's AuthorizationPolicies in the list let a scraper in (domain.md section 0, step 9): a workload with
 * any ALLOW policy denies what no ALLOW rule matches; a matching DENY rule denies first. Policies apply from the
 * root namespace (mesh-wide, or by selector in every namespace), the workload's namespace (no selector) and by
 * selector there (istio/api `authorization_policy.proto`). `paths`, `methods` and headers are HTTP-only: a rule
 * using them is reported as not decidable offline rather than guessed. A policy annotated `istio.io/dry-run` with a
 * true value is never enforced (istio pilot/pkg/security/authz/builder/builder.go: `isDryRun` puts its rules in the
 * shadow rules, parsed with Go's strconv.ParseBool), so it allows and denies nothing here. A rule with no `from`,
 * `to` or `when` matches every request (builder/testdata/http/allow-empty-rule-out.yaml: any permission, any
 * principal).
 */
import { asObject, type Item, type Json } from '../krm/index.js';
import { type Labels, stringMap } from './label-selector.js';

/** The caller of a scrape: its mesh principal and namespace. */
export interface Caller {
  principal: string;
  namespace: string;
}

/** What the policies say about one request. */
export interface AuthorizationVerdict {
  allowed: boolean | 'unknown';
  reason: string;
}

const matchesValue = (pattern: string, value: string): boolean => {
  if (pattern === '*') return true;
  if (pattern.startsWith('*')) return value.endsWith(pattern.slice(1));
  if (pattern.endsWith('*')) return value.startsWith(pattern.slice(0, -1));
  return pattern === value;
};

const strings = (value: Json | undefined): string[] | undefined =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : undefined;

/** A list field holds (`values`), or misses (`notValues`), a value; an absent field matches anything. */
function fieldMatches(object: { [key: string]: Json } | undefined, key: string, value: string): boolean {
  const values = strings(object?.[key]);
  const notKey = `not${key[0]?.toUpperCase()}${key.slice(1)}`;
  const notValues = strings(object?.[notKey]);
  // A plain-text request carries no principal or namespace: a list of them (even `*`) never matches it.
  if (values && (value === '' || !values.some((p) => matchesValue(p, value)))) return false;
  if (value !== '' && notValues?.some((p) => matchesValue(p, value))) return false;
  return true;
}

const httpOnly = ['paths', 'notPaths', 'methods', 'notMethods', 'hosts', 'notHosts'];

/** Whether one rule matches the request; `unknown` when it depends on HTTP fields. */
function ruleMatches(rule: { [key: string]: Json }, caller: Caller, port: number): boolean | 'unknown' {
  const from = Array.isArray(rule.from) ? rule.from.map((f) => asObject(asObject(f)?.source)) : undefined;
  if (
    from &&
    !from.some(
      (s) =>
        fieldMatches(s, 'principals', caller.principal) && fieldMatches(s, 'namespaces', caller.namespace),
    )
  )
    return false;
  const to = Array.isArray(rule.to) ? rule.to.map((t) => asObject(asObject(t)?.operation)) : undefined;
  if (to) {
    const portMatch = to.filter((op) => fieldMatches(op, 'ports', String(port)));
    if (portMatch.length === 0) return false;
    if (portMatch.every((op) => httpOnly.some((k) => op?.[k] !== undefined))) return 'unknown';
  }
  if (Array.isArray(rule.when) && rule.when.length > 0) return 'unknown';
  return true;
}

/** Whether a rule matches every request: it has no `from`, `to` or `when` (an empty rule `{}`). */
export const matchesEverything = (rule: { [key: string]: Json }): boolean =>
  rule.from === undefined && rule.to === undefined && rule.when === undefined;

/** The values Go's strconv.ParseBool reads as true, as Istio parses `istio.io/dry-run`. */
const goTrue = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

/** Whether a policy is dry-run only: Istio logs what it would decide and enforces nothing of it. */
export const isDryRun = (item: Item): boolean => {
  const value = item.read(['metadata', 'annotations', 'istio.io/dry-run']);
  return typeof value === 'string' && goTrue.has(value);
};

/** One AuthorizationPolicy, as read from the list. */
export interface Policy {
  item: Item;
  /** Annotated `istio.io/dry-run: "true"`: not enforced. */
  dryRun: boolean;
  /** Bound by `targetRef` / `targetRefs` to a Gateway or waypoint, not by selector. */
  targetRef: boolean;
  namespace: string;
  selector: Labels | undefined;
  action: string;
  rules: { [key: string]: Json }[];
}

/** Reads an AuthorizationPolicy item (`action` defaults to ALLOW, a selector without labels is none). */
export function policyOf(item: Item): Policy {
  const spec = asObject(item.data.spec) ?? {};
  const selector = stringMap(asObject(spec.selector)?.matchLabels);
  return {
    item,
    dryRun: isDryRun(item),
    targetRef: spec.targetRef !== undefined || spec.targetRefs !== undefined,
    namespace: item.namespace ?? '',
    selector: Object.keys(selector).length > 0 ? selector : undefined,
    action: typeof spec.action === 'string' ? spec.action : 'ALLOW',
    rules: Array.isArray(spec.rules)
      ? spec.rules.flatMap((r): { [key: string]: Json }[] => {
          const rule = asObject(r);
          return rule ? [rule] : [];
        })
      : [],
  };
}

const describePolicy = (p: Policy): string => `AuthorizationPolicy/${p.namespace}/${p.item.name}`;

/** The AuthorizationPolicies of a list. */
export class AuthorizationPolicies {
  private readonly policies: Policy[];

  constructor(
    items: Iterable<Item>,
    private readonly rootNamespace: string,
  ) {
    // Dry-run policies decide nothing: Istio enforces none of their rules. A policy with `targetRef(s)` binds to the
    // Gateway or waypoint it names instead of selecting sidecar workloads (istio/api authorization_policy.proto),
    // so it does not decide a scrape of a pod either.
    this.policies = [...items].map(policyOf).filter((p) => !p.dryRun && !p.targetRef);
  }

  /** The policies that apply to pods with these labels in a namespace. */
  private applying(namespace: string, labels: Labels): Policy[] {
    return this.policies.filter((p) => {
      if (p.namespace !== namespace && p.namespace !== this.rootNamespace) return false;
      return !p.selector || Object.entries(p.selector).every(([k, v]) => labels[k] === v);
    });
  }

  /** Whether a caller may reach a container port of pods with these labels. */
  verdict(namespace: string, labels: Labels, port: number, caller: Caller): AuthorizationVerdict {
    const applying = this.applying(namespace, labels);
    for (const policy of applying.filter((p) => p.action === 'DENY')) {
      const matches = policy.rules.map((r) => ruleMatches(r, caller, port));
      if (matches.includes(true)) return { allowed: false, reason: `${describePolicy(policy)} denies it` };
      if (matches.includes('unknown'))
        return {
          allowed: 'unknown',
          reason: `${describePolicy(policy)} may deny it (HTTP or when conditions)`,
        };
    }
    const allow = applying.filter((p) => p.action === 'ALLOW');
    if (allow.length === 0) return { allowed: true, reason: 'no ALLOW policy applies' };
    let unknown: Policy | undefined;
    for (const policy of allow) {
      const matches = policy.rules.map((r) => ruleMatches(r, caller, port));
      if (matches.includes(true)) return { allowed: true, reason: `${describePolicy(policy)} allows it` };
      if (matches.includes('unknown')) unknown ??= policy;
    }
    if (unknown)
      return {
        allowed: 'unknown',
        reason: `${describePolicy(unknown)} allows it only on HTTP paths, methods or conditions an offline check cannot see`,
      };
    return {
      allowed: false,
      reason: `${allow.map(describePolicy).join(', ')} ${allow.length === 1 ? 'applies' : 'apply'} and no ALLOW rule matches ${caller.principal} on port ${port}`,
    };
  }
}

/** The mesh principal of a scraper: `<trustDomain>/ns/<namespace>/sa/<service account>`. */
export const principalOf = (trustDomain: string, namespace: string, serviceAccount: string): string =>
  `${trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
