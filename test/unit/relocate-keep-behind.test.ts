/** relocate-namespace: a read of an object named in `keep` that the list does not hold still counts as kept. */
import { describe, expect, it } from 'vitest';
import { runKrm } from '../../src/cli/krm-mode.js';
import { asDecoded } from '../../src/krm/index.js';
import { resourceList } from '../support/resource-list.js';

const adapter = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ama-metrics
  namespace: kube-system
spec:
  template:
    spec:
      containers:
      - name: addon-token-adapter
        image: mcr.microsoft.com/aks/msi/addon-token-adapter:master.250429.1
        args:
        - --secret-namespace=kube-system
        - --secret-name=aad-msi-auth-token
`;
const config = `apiVersion: meshscrape.dev/v1alpha1
kind: RelocateNamespace
metadata:
  name: r
from: kube-system
to: monitoring
rewriteStrings: on
keep:
- kind: Secret
  name: aad-msi-auth-token
`;

describe('keep-behind reads of objects the list does not hold (found on the ama-metrics rendering)', () => {
  it('leaves --secret-namespace naming the kept Secret alone even with rewriteStrings: on (AKS creates it in kube-system)', () => {
    const out = runKrm(asDecoded(resourceList(adapter, config)), 'relocate-namespace');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('- --secret-namespace=kube-system');
    expect(out.stdout).not.toContain('--secret-namespace=monitoring');
    expect(out.stdout).toMatch(/reads Secret kube-system\/aad-msi-auth-token, kept there/);
  });
});
