/**
 * relocate-namespace: moves the resources of one namespace into another and follows every reference that names
 * the old one, keeping behind what must stay and saying, resource by resource, what moved, what stayed and why.
 */
import { alignNamespaceWaves } from '../../src/domain/namespace-wave.js';
import { defineFunction, info } from '../../src/krm/index.js';
import { ambientTargetWarning } from './ambient.js';
import { relocateNamespaceSchema } from './config.js';
import { Edits } from './edits.js';
import { followAuthorization, followExportTo, followHosts, followSidecar } from './istio-references.js';
import { keepBehind } from './keep-behind.js';
import { checkRoleRef, followDependsOn, followServiceReferences, followSubjects } from './kube-references.js';
import { followMonitor } from './monitor-references.js';
import { moveResources } from './moves.js';
import { wantedNamespace } from './namespace-object.js';
import { followNetworkPolicy } from './network-policies.js';
import { Plan } from './plan.js';
import { presetOutcome } from './preset-outcome.js';
import { functionName, generatedKinds, reconcileGenerated } from './reconcile.js';
import { rootNamespaceWarnings } from './root-namespace.js';
import { followServerSelectors } from './server-selectors.js';
import { followStrings } from './strings.js';
import { windowsPodWarnings } from './windows-pods.js';

/** The relocate-namespace function. */
export const relocateNamespace = defineFunction({
  name: functionName,
  generates: Object.keys(generatedKinds),
  kind: 'RelocateNamespace',
  summary: 'Moves the resources of one namespace into another and follows every reference to it.',
  schema: relocateNamespaceSchema,
  run(items, config) {
    const plan = new Plan(items, config);
    const edits = new Edits(plan);
    moveResources(edits);
    for (const item of items) {
      followSubjects(edits, item);
      checkRoleRef(edits, item);
      followServiceReferences(edits, item);
      followDependsOn(edits, item);
      followMonitor(edits, item);
      followAuthorization(edits, item);
      followExportTo(edits, item);
      followSidecar(edits, item);
      followHosts(edits, item);
      followNetworkPolicy(edits, item);
      followServerSelectors(edits, item);
    }
    const behind = keepBehind(edits);
    followStrings(edits, behind.apiReadPaths);
    rootNamespaceWarnings(edits);
    ambientTargetWarning(edits);
    windowsPodWarnings(edits);
    presetOutcome(edits);
    const wanted = [...wantedNamespace(edits), ...behind.wanted];
    const reconciled = reconcileGenerated(items, wanted, config.from, (item) => plan.namespaceAfter(item));
    const results = [...edits.results, ...reconciled.results, ...alignNamespaceWaves(reconciled.items)];
    const followed = [...edits.changed].filter((i) => !plan.moved.has(i)).length;
    results.push(
      info(
        `summary: ${plan.moved.size} resource(s) moved from ${config.from} to ${config.to}, ${plan.stays.size} stayed; ${followed} other resource(s) changed to follow them; ${reconciled.results.filter((r) => r.severity === 'info').length} generated or updated`,
      ),
    );
    return { items: reconciled.items, results };
  },
});
