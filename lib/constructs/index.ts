/**
 * Every construct of the library with its props (`cdktf-golden-path/constructs`).
 */
export * from './kube-aws-cdn';
export * from './kube-config-map';
export * from './kube-cron-job';
export * from './kube-daemon-set';
export * from './kube-deployment';
export * from './kube-descheduler';
export * from './kube-external-secret';
export * from './kube-external-snapshotter';
export * from './kube-ingress';
export * from './kube-job';
export * from './kube-manifest';
export * from './kube-namespace';
export * from './kube-network-policy';
export * from './kube-node-image-cache-controller';
export * from './kube-node-image-cache';
export * from './kube-priority-classes';
export * from './kube-pvc-autoresizer';
export * from './kube-reloader';
export * from './kube-sa-auth-aws';
export * from './kube-scaled-object';
export * from './kube-service';
export * from './kube-stateful-set';
export * from './kube-velero';
export * from './kube-workflow-template';
export * from './kube-workload';
export * from './collisions';
