/** Argo CD parameters (ARGOCD_APP_PARAMETERS) to pipeline steps: order, ConfigMap encoding, problems by name. */
import { describe, expect, it } from 'vitest';
import { parameterSteps } from '../../src/cli/argocd-parameters.js';

const steps = (parameters: unknown) => parameterSteps(JSON.stringify(parameters));
const names = (parameters: unknown): string[] => {
  const result = steps(parameters);
  if ('problems' in result) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.steps.map((s) => s.fn.name);
};
const problemPaths = (parameters: unknown): (string | undefined)[] => {
  const result = typeof parameters === 'string' ? parameterSteps(parameters) : steps(parameters);
  return 'problems' in result ? result.problems.map((p) => p.field?.path ?? p.message) : [];
};

describe('Argo CD parameters', () => {
  it('none give no steps', () => {
    expect(parameterSteps(undefined)).toEqual({ steps: [] });
    expect(parameterSteps('')).toEqual({ steps: [] });
  });

  it('function maps run in pipeline order unless functions says otherwise', () => {
    const maps = [
      { name: 'set-monitor-tls', map: { overwrite: 'true' } },
      { name: 'mount-istio-certs', map: { inbound: 'bypass' } },
    ];
    expect(names(maps)).toEqual(['mount-istio-certs', 'set-monitor-tls']);
    expect(names([...maps, { name: 'functions', array: ['set-monitor-tls', 'fix-pod-monitors'] }])).toEqual([
      'set-monitor-tls',
      'fix-pod-monitors',
    ]);
  });

  it('hands each function its map as ConfigMap data', () => {
    const result = steps([{ name: 'set-monitor-tls', map: { plainPorts: '15090,15020' } }]);
    expect(result).toMatchObject({
      steps: [{ configMap: true, config: { kind: 'ConfigMap', data: { plainPorts: '15090,15020' } } }],
    });
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
