import type { IObjectMeta } from '@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta';

/** Any Kubernetes API object the library emits: typed kubernetes-models interfaces satisfy it. */
export interface KubernetesObject {
  apiVersion: string;
  kind: string;
  metadata: IObjectMeta & { name: string };
}
