/** Argo CD parameters (ARGOCD_APP_PARAMETERS) to pipeline steps: order, ConfigMap encoding, problems by name. */
import { describe, expect, it } from 'vitest';
import { parameterPlan, parameterSteps } from '../../src/cli/argocd-parameters.js';

const steps = (parameters: unknown) => parameterSteps(JSON.stringify(parameters));
const names = (parameters: unknown): string[] => {
  const result = steps(parameters);
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.value.map((s) => s.fn.name);
};
const problemPaths = (parameters: unknown): (string | undefined)[] => {
  const result = typeof parameters === 'string' ? parameterSteps(parameters) : steps(parameters);
  return result.problems.map((p) => p.field?.path ?? p.message);
};

describe('Argo CD parameters', () => {
  it('none give no steps', () => {
    expect(parameterSteps(undefined)).toEqual({ ok: true, value: [], problems: [] });
    expect(parameterSteps('')).toEqual({ ok: true, value: [], problems: [] });
  });

  it('function maps run in pipeline order unless functions says otherwise', () => {
    const maps = [
      { name: 'set-monitor-tls', map: { overwrite: 'true' } },
      { name: 'mount-istio-certs', map: { inbound: 'bypass' } },
    ];
    expect(names(maps)).toEqual(['mount-istio-certs', 'set-monitor-tls']);
    const order = ['set-monitor-tls', 'fix-pod-monitors', 'mount-istio-certs'];
    expect(names([...maps, { name: 'functions', array: order }])).toEqual(order);
  });

  it('hands each function its map as ConfigMap data', () => {
    const result = steps([{ name: 'set-monitor-tls', map: { plainPorts: '15090,15020' } }]);
    expect(result).toMatchObject({
      ok: true,
      value: [{ configMap: true, config: { kind: 'ConfigMap', data: { plainPorts: '15090,15020' } } }],
    });
  });

  it('refuses a map for a function that does not run, rather than drop its config', () => {
    const maps = [
      { name: 'set-monitor-tls', map: { overwrite: 'true' } },
      { name: 'fix-pod-monitors', map: { strategy: 'scrape-class' } },
    ];
    const result = steps([...maps, { name: 'functions', array: ['fix-pod-monitors'] }]);
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          severity: 'error',
          field: { path: 'parameters.set-monitor-tls' },
          message:
            'parameter set-monitor-tls configures a function that does not run: functions (fix-pod-monitors) leaves it out; add set-monitor-tls to functions or remove the parameter',
        },
      ],
    });
    // In the pipeline file it runs, but with the file's config: the map would still be dropped.
    const pipeline = { file: 'meshscrape.yaml', functions: ['set-monitor-tls'] };
    const withPipeline = parameterSteps(
      JSON.stringify([maps[0], { name: 'functions', array: [] }]),
      pipeline,
    );
    expect(withPipeline).toMatchObject({
      ok: false,
      problems: [
        {
          message: expect.stringMatching(
            /functions \(empty\) leaves it out \(the set-monitor-tls step of meshscrape\.yaml runs with its own config, not this map\)/,
          ),
        },
      ],
    });
  });

  it('refuses a parameter given twice, rather than keep one of them', () => {
    const twice = [
      { name: 'set-monitor-tls', map: { overwrite: 'true' } },
      { name: 'set-monitor-tls', map: { overwrite: 'false' } },
    ];
    expect(problemPaths(twice)).toEqual(['parameters.set-monitor-tls']);
  });

  it('names the parameter that is wrong', () => {
    expect(problemPaths('{not json')).toEqual([expect.stringMatching(/not JSON/)]);
    expect(problemPaths('{"name":"functions"}')).toEqual(['ARGOCD_APP_PARAMETERS is not a JSON array']);
    expect(problemPaths([{ name: 'functions', array: ['make-coffee'] }])).toEqual(['parameters.functions']);
    expect(problemPaths([{ name: 'functions', string: 'set-monitor-tls' }])).toEqual([
      'parameters.functions',
    ]);
    expect(problemPaths([{ name: 'set-monitor-tls', string: 'x' }])).toEqual(['parameters.set-monitor-tls']);
    expect(problemPaths([{ name: 'certDir', string: '/x' }])).toEqual(['parameters.certDir']);
  });
});

describe('Argo CD parameters: preset, kustomizeBuildOptions, and config problems by parameter', () => {
  it('reads the preset and the build options', () => {
    const plan = parameterPlan(
      JSON.stringify([
        { name: 'preset', string: 'ama-metrics-istio' },
        { name: 'kustomizeBuildOptions', string: '--enable-helm' },
      ]),
    );
    expect(plan).toMatchObject({
      ok: true,
      value: { steps: [], preset: 'ama-metrics-istio', buildOptions: '--enable-helm' },
    });
  });

  it('refuses an unknown preset or a preset that is not a string, naming the parameter', () => {
    expect(problemPaths([{ name: 'preset', string: 'nope' }])).toEqual(['parameters.preset']);
    expect(parameterPlan(JSON.stringify([{ name: 'preset', array: ['a'] }])).problems[0]?.message).toBe(
      'parameter preset must be a string; got ["a"]',
    );
  });

  it('names the parameter, key and value in config problems, not the internal ConfigMap', () => {
    const plan = parameterPlan(
      JSON.stringify([
        { name: 'set-monitor-tls', map: { unknownTarget: 'skip', overwrite: 'maybe' } },
        { name: 'mount-istio-certs', map: { scrapeClass: '{"name": 3}' } },
      ]),
    );
    expect(plan.ok).toBe(false);
    const shown = plan.problems.map((p) => `${p.field?.path} | ${p.message}`);
    expect(shown).toEqual([
      expect.stringMatching(
        /^parameters\.mount-istio-certs\.scrapeClass \| parameter mount-istio-certs scrapeClass="\{\\"name\\": 3\}": name: /,
      ),
      expect.stringMatching(
        /^parameters\.set-monitor-tls\.unknownTarget \| parameter set-monitor-tls unknownTarget="skip": set-monitor-tls has no config field unknownTarget; its fields: .*unknownTargets/,
      ),
      'parameters.set-monitor-tls.overwrite | parameter set-monitor-tls overwrite="maybe": expected true or false, got "maybe"',
    ]);
    for (const p of plan.problems) expect(p.resourceRef).toBeUndefined();
  });
});
