/**
 * The modes that run several steps in one process (post-render, argocd-generate) give what the same steps give run
 * one after the other, each as its own process reading the text the one before wrote (kustomize's transformers).
 */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { runArgoGenerate } from '../../src/cli/argocd.js';
import { runKustomizePlugin } from '../../src/cli/kustomize-plugin.js';
import { runPostRender } from '../../src/cli/post-render.js';
import { repoRoot, tempDir } from '../support/orchestrators.js';
import { read } from '../support/resource-list.js';

const pipeline = join(repoRoot, 'pipelines', 'helm', 'meshscrape.yaml');
// mount-istio-certs mounts the cert files into a Prometheus that has none; set-monitor-tls must see the mount (https
// on the in-mesh monitor) and not the Prometheus as it was (an error: it does not mount them).
const resources = join(
  repoRoot,
  'functions',
  'set-monitor-tls',
  'testdata',
  'unmounted-scraper',
  'resources.yaml',
);

/** The pipeline's steps one after the other, each on the previous step's output text. */
function stepByStep(input: string): string {
  const dir = tempDir('steps');
  let text = input;
  for (const [index, step] of parseAllDocuments(read(pipeline)).entries()) {
    const config = join(dir, `${index}.yaml`);
    writeFileSync(config, step.toString());
    const name = (step.toJS() as { metadata: { name: string } }).metadata.name;
    const out = runKustomizePlugin(name, config, text);
    expect(out.code, out.stderr).toBe(0);
    text = out.stdout;
  }
  return text;
}

describe('multi-step modes', () => {
  const expected = stepByStep(read(resources));

  it('the step-by-step run puts the in-mesh monitor on https', () => {
    expect(expected).toContain('scheme: https');
  });

  it('post-render: each step sees what the steps before it wrote', () => {
    const out = runPostRender([pipeline], read(resources));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(expected);
  });

  it('argocd-generate: each step sees what the steps before it wrote', () => {
    const app = tempDir('app');
    copyFileSync(pipeline, join(app, 'meshscrape.yaml'));
    copyFileSync(resources, join(app, 'resources.yaml'));
    const out = runArgoGenerate(app, {});
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toBe(expected);
  });
});
