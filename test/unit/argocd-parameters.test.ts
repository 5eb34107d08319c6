/** Argo CD parameters (ARGOCD_APP_PARAMETERS) to pipeline steps: order, ConfigMap encoding, problems by name. */
import { describe, expect, it } from 'vitest';
import { parameterSteps } from '../../src/cli/argocd-parameters.js';

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
