/**
 * The one style of prop paths in ValidationError fields: the path as the user wrote the prop.
 * Array elements are `containers[1]`, map entries `ports.http`, and `extraPodLabels["app.kubernetes.io/name"]`
 * when the key is not an identifier. Never a name in place of an index (`containers.sidecar`).
 */
export function keyPath(path: string, key: string): string {
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return path === '' ? key : `${path}.${key}`;
  return `${path}[${JSON.stringify(key)}]`;
}
