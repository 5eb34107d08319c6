/**
 * The move plan: which resources of `from` move, which stay (kept, not selected, cluster-scoped, of unknown scope),
 * and what moves with them: Service names, service-account identities, pod sources. Every reference rewrite
 * decides from this plan, read from the input state, so the order of the steps does not matter.
 */
import { Inventory } from '../../src/domain/inventory.js';
import { podTemplatePaths } from '../../src/domain/kinds.js';
import { type PodSource, podSourceOf } from '../../src/domain/pod-sources.js';
import { ScopeTable } from '../../src/domain/resource-scope.js';
import { isSelected } from '../../src/domain/selection.js';
import { asObject, type Item, type ResourceRef } from '../../src/krm/index.js';
import type { RelocateNamespaceConfig } from './config.js';
import { presetKeeps } from './presets.js';

/** A pod source of `from` (or of `to`, once moved), with its service account. */
export interface Pods {
  source: PodSource;
  account: string;
  moved: boolean;
}

/** Why an item of `from` stays. */
export type StayReason = 'kept' | 'not-selected' | 'cluster-scoped' | 'unknown-scope' | 'local-config';

/** The service account a pod source runs as (`default` when none is named). */
export function accountOf(item: Item): string {
  const template = podTemplatePaths[item.kind];
  const spec = template ? [...template, 'spec'] : ['spec'];
  const name = item.read([...spec, 'serviceAccountName']) ?? item.read([...spec, 'serviceAccount']);
  return typeof name === 'string' && name !== '' ? name : 'default';
}

const isLocalConfig = (item: Item): boolean =>
  item.read(['metadata', 'annotations', 'config.kubernetes.io/local-config']) === 'true';

/** What moves and what stays. */
export class Plan {
  readonly scopes: ScopeTable;
  readonly moved = new Set<Item>();
  readonly stays = new Map<Item, StayReason>();
  /** The keep entries (config and preset): what stays in `from`, in the list or not. */
  readonly keep: readonly { kind: string; name: string }[];
  /** The keep entry each kept item matched. */
  readonly keptBy = new Map<Item, number>();
  readonly movedServices = new Set<string>();
  readonly stayingServices = new Set<string>();
  /** Service accounts whose identity moves: moved ServiceAccounts and the accounts of moved pods. */
  readonly movedAccounts = new Set<string>();
  /** Accounts still used in `from`: ServiceAccounts and the accounts of pods that stay. */
  readonly stayingAccounts = new Set<string>();
  /** Pod sources of `from` at input. */
  readonly pods: Pods[] = [];
  /** The pods entry of each pod source item of `from`. */
  private readonly podsByItem = new Map<Item, Pods>();
  /** `kind name` -> the items of that kind and name, in any namespace: lookups by name, not scans of the list. */
  private readonly byKindName = new Map<string, Item[]>();
  private model: Inventory | undefined;

  constructor(
    readonly items: readonly Item[],
    readonly config: RelocateNamespaceConfig,
  ) {
    this.scopes = new ScopeTable(items, config);
    const keep = [...config.keep, ...presetKeeps(config)];
    this.keep = keep;
    for (const item of items) {
      const key = kindNameKey(item.kind, item.name);
      const same = this.byKindName.get(key);
      if (same) same.push(item);
      else this.byKindName.set(key, [item]);
      if (item.namespace !== config.from) continue;
      const reason = this.stayReason(item, keep);
      if (reason) this.stays.set(item, reason);
      else this.moved.add(item);
      const moved = reason === undefined;
      if (item.kind === 'Service' && item.group === '')
        (moved ? this.movedServices : this.stayingServices).add(item.name);
      if (item.kind === 'ServiceAccount' && item.group === '')
        (moved ? this.movedAccounts : this.stayingAccounts).add(item.name);
      const source = podSourceOf(item);
      if (source) {
        const account = accountOf(item);
        const pods = { source, account, moved };
        this.pods.push(pods);
        this.podsByItem.set(item, pods);
        (moved ? this.movedAccounts : this.stayingAccounts).add(account);
      }
    }
  }

  private stayReason(item: Item, keep: readonly { kind: string; name: string }[]): StayReason | undefined {
    if (isLocalConfig(item)) return 'local-config';
    const index = keep.findIndex((k) => k.kind === item.kind && k.name === item.name);
    if (index >= 0) {
      this.keptBy.set(item, index);
      return 'kept';
    }
    const { scope } = this.scopes.scopeOf(item);
    if (scope === 'Cluster') return 'cluster-scoped';
    if (scope === 'unknown') return 'unknown-scope';
    return isSelected(item, this.config) ? undefined : 'not-selected';
  }

  /** The scrape-path model's index of the input list (Services and pod sources by label). */
  get inventory(): Inventory {
    this.model ??= new Inventory(this.items);
    return this.model;
  }

  /** The pods entry of a pod source of `from`. */
  podsOf(source: PodSource): Pods | undefined {
    return this.podsByItem.get(source.item);
  }

  /** The items of a kind and name, in input order, in any namespace (callers match group and namespace). */
  named(kind: string, name: string): readonly Item[] {
    return this.byKindName.get(kindNameKey(kind, name)) ?? [];
  }

  get from(): string {
    return this.config.from;
  }
  get to(): string {
    return this.config.to;
  }

  /** True when nothing in the list stays running in `from`. */
  get noPodsStay(): boolean {
    return this.pods.every((p) => p.moved);
  }

  /** The namespace an item has once the run is done. */
  namespaceAfter(item: Item): string | undefined {
    return this.moved.has(item) ? this.config.to : item.namespace;
  }

  /** The reference results carry: the resource as it is written. */
  refOf(item: Item): ResourceRef {
    const ref = item.ref;
    return this.moved.has(item) ? { ...ref, namespace: this.config.to } : ref;
  }

  /**
   * Whether an object stays in `from`: kept in the list, or named in `keep` though the list does not hold it (a
   * Secret the platform creates there, such as AKS' aad-msi-auth-token).
   */
  keptObject(kind: string, name: string): boolean {
    return (
      this.staying(kind, name) !== undefined || this.keep.some((k) => k.kind === kind && k.name === name)
    );
  }

  /** A resource of `from` that stays there, by kind and name. */
  staying(kind: string, name: string): Item | undefined {
    return this.named(kind, name).find((item) => this.stays.has(item));
  }
}

const kindNameKey = (kind: string, name: string): string => `${kind}\0${name}`;

/** Labels an item carries, as strings. */
export function labelsOf(item: Item): Record<string, string> {
  const labels = asObject(item.read(['metadata', 'labels']) ?? undefined) ?? {};
  return Object.fromEntries(
    Object.entries(labels).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
}
