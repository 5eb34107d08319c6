/**
 * generate-mesh-policies: the Istio resources monitoring needs, generated from a small config and the workloads
 * in the list, each correct by construction (PeerAuthentication, port-level exceptions, AuthorizationPolicy,
 * ServiceEntry, DestinationRule, Sidecar, Namespace), converging on re-run and pruned when no longer asked for.
 */
import { generatedBy } from '../../src/domain/generated.js';
import { isNamespace } from '../../src/domain/kinds.js';
import { alignNamespaceWaves } from '../../src/domain/namespace-wave.js';
import { reconcileWanted } from '../../src/domain/reconcile-generated.js';
import { ScrapeModel, type ScrapeModelOptions } from '../../src/domain/scrape-path.js';
import { defineFunction, info } from '../../src/krm/index.js';
import { applyExceptions } from './apply-exceptions.js';
import { authorizationPolicies } from './authorization-policies.js';
import { generateMeshPoliciesSchema } from './config.js';
import { egressResources } from './egress.js';
import { exceptionAsks } from './exceptions.js';
import { functionName, generatedContent, generatedKinds } from './generated.js';
import { gossipWarnings } from './gossip.js';
import { meshWideWarnings } from './mesh-wide.js';
import { namespaceObjects, sidecars } from './namespaces.js';
import { basePolicies, withBasePolicies } from './peer-policies.js';
import { registryOnlyScraperWarnings } from './registry-only.js';
import { scraperIdentities } from './scrapers.js';

/** The generate-mesh-policies function. */
export const generateMeshPolicies = defineFunction({
  name: functionName,
  generates: Object.keys(generatedKinds),
  kind: 'GenerateMeshPolicies',
  summary:
    'Generates the Istio policies monitoring needs (PeerAuthentication, exceptions, AuthorizationPolicy, ServiceEntry, DestinationRule, Sidecar, Namespace) from the list.',
  schema: generateMeshPoliciesSchema,
  run(items, config) {
    const common: ScrapeModelOptions = {
      meshMtls: config.meshMtls,
      rootNamespace: config.rootNamespace,
      trustDomain: config.trustDomain,
    };
    const options: ScrapeModelOptions = { ...common, ignoreExceptionsBy: functionName };
    // As the user wrote the list: this function's earlier output and the ports it added are left out.
    const model = new ScrapeModel(items, options);
    const base = basePolicies(items, config, model);
    const namespaces = new Set([...base.namespaces, ...config.egress.map((e) => e.namespace)]);
    const namespaceItems = namespaceObjects(items, config, namespaces);
    // The Namespaces this run generates decide injection, so capture, as they will on the cluster: decided
    // without them, a second run (which reads them) found captured ports the first had left alone.
    const withNamespaces = [
      ...items.filter((i) => !(isNamespace(i) && generatedBy(i) === functionName)),
      ...namespaceItems.wanted.map((w) => w.item),
    ];
    // Exceptions are decided with the policies this run generates in place, so a namespace it makes STRICT counts.
    const deciding = new ScrapeModel(withBasePolicies(withNamespaces, base), options);
    const asked = exceptionAsks(items, config, deciding);
    const peers = applyExceptions(items, asked.asks, base, deciding, config.outputDir);
    // Authorization sees the final policies: a port under an exception is reached in plain text, without principal.
    const final = [
      ...withNamespaces.filter((i) => !(i.kind === 'PeerAuthentication' && generatedBy(i) === functionName)),
      ...peers.wanted.map((w) => w.item),
    ];
    const finalModel = new ScrapeModel(final, common);
    const scrapers = scraperIdentities(config, finalModel);
    const authorization = authorizationPolicies(items, config, finalModel, scrapers.scrapers);
    const egress = egressResources(config, model);
    const sidecar = sidecars(items, config, namespaces);
    const wanted = [
      ...namespaceItems.wanted,
      ...peers.wanted,
      ...authorization.wanted,
      ...egress.wanted,
      ...sidecar.wanted,
    ];
    const reconciled = reconcileWanted(items, wanted, {
      functionName,
      generatedKinds,
      content: generatedContent,
      // Every run recomputes all it generates from the config and the list: what it no longer wants goes.
      stale: () => true,
    });
    const results = [
      ...base.results,
      ...meshWideWarnings(config, base.wanted),
      ...asked.results,
      ...peers.results,
      ...scrapers.results,
      ...authorization.results,
      ...gossipWarnings(finalModel, namespaces, authorization.results),
      ...egress.results,
      ...sidecar.results,
      ...registryOnlyScraperWarnings(
        finalModel,
        scrapers.scrapers,
        sidecar.wanted.map((w) => w.item),
      ),
      ...namespaceItems.results,
      ...reconciled.results,
      ...alignNamespaceWaves(reconciled.items),
    ];
    const count = (kind: string): number => wanted.filter((w) => w.item.kind === kind).length;
    results.push(
      info(
        `summary: ${wanted.length} resource(s) wanted: ${Object.keys(generatedKinds)
          .map((k) => `${count(k)} ${k}`)
          .join(
            ', ',
          )}${model.assumptionUsed || deciding.assumptionUsed ? `; where the list has no mesh-wide PeerAuthentication, meshMtls ${config.meshMtls} was assumed` : ''}`,
      ),
    );
    return { items: reconciled.items, results };
  },
});
