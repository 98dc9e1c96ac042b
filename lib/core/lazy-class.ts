/**
 * A class that is loaded on first use. The package root is imported by every stack file and
 * every test worker; the AWS provider classes (CloudFront, S3, IAM, ...) are only needed by the
 * constructs that create AWS resources, and loading them costs about a third of the root's
 * own import time (`npm run bench`, docs/performance.md). A module that uses such a class
 * declares it with `lazyClass` instead of importing it:
 *
 *   const IamRole = lazyClass(() => (require('@cdktf/provider-aws/lib/iam-role') as typeof import('@cdktf/provider-aws/lib/iam-role')).IamRole);
 *   type IamRole = InstanceType<typeof IamRole>;
 *
 * The result stands for the class everywhere: `new IamRole(...)` makes an instance of the real
 * class (`instanceof` holds either way), `class X extends IamRole` works, static members read
 * through. The module is loaded the first time any of that happens.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function lazyClass<C extends abstract new (...args: any[]) => any>(load: () => C): C {
  let real: C | undefined;
  const get = (): C => (real ??= load());
  // A plain function as the target, so that the proxy can be called with `new` and extended.
  const target = function lazyClassTarget() {} as unknown as C;
  const proxy: C = new Proxy(target, {
    construct: (_t, args, newTarget) => Reflect.construct(get() as unknown as Function, args, newTarget === proxy ? get() : newTarget),
    get: (_t, property) => Reflect.get(get(), property),
    set: (_t, property, value) => Reflect.set(get(), property, value),
    has: (_t, property) => Reflect.has(get(), property),
    getPrototypeOf: () => Reflect.getPrototypeOf(get()),
  });
  return proxy;
}
