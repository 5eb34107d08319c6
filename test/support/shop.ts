/**
 * The "shop" application: a Namespace in the mesh, a Deployment with a metrics port, and a PodMonitor selecting it
 * (a YAML stream), the input of tests on fix-pod-monitors and on what every run must conserve.
 */
export const shopApp = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    istio-injection: enabled
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: cart
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: cart
    spec:
      containers:
      - name: app
        ports:
        - name: metrics
          containerPort: 8080
---
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: cart
  namespace: shop
spec:
  selector:
    matchLabels:
      app: cart
  podMetricsEndpoints:
  - port: metrics
`;
