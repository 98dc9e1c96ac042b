import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import { App, IStackSynthesizer, ISynthesisSession, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { KubeDeployment } from '../lib/constructs/kube-deployment';
import { emitStableJson, stableJson, writeStableJsonFile } from '../lib/core/stable-json';
import { useChunkedStackWriter } from '../lib/constructs/stack-json-writer';

/** CDKTF's own writer of cdk.tf.json (its dependency, resolved from cdktf's directory). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdktfStringify = require(require.resolve('json-stable-stringify', { paths: [path.dirname(require.resolve('cdktf'))] })) as (v: unknown, o: { space: number }) => string;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'stable-json-'));

describe('stableJson writes what CDKTF writes', () => {
  test('the same text as json-stable-stringify { space: 2 } for any JSON value (5000 cases)', () => {
    const key = fc.oneof(fc.string(), fc.constantFrom('a', 'B', '_', '10', '9', 'é', '$', '//', 'ä'));
    const leaf = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), fc.constant(() => 1));
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, tie('list'), tie('object')),
      list: fc.array(tie('node'), { maxLength: 5 }),
      object: fc.dictionary(key, tie('node'), { maxKeys: 6 }),
    })).node;
    fc.assert(fc.property(tree, (v) => stableJson(v) === (cdktfStringify(v, { space: 2 }) ?? '')), { numRuns: 5000, seed: 17 });
  });

  test('objects with many keys, keys already in order, in reverse and with code units past the BMP sort as CDKTF sorts them', () => {
    const keys = Array.from({ length: 70 }, (_, i) => `k${String(i).padStart(2, '0')}`);
    const odd = ['Z', 'a', '_', '10', '9', 'é', '\u{1F600}', '\uFFFF', 'A', ''];
    for (const order of [keys, [...keys].reverse(), [...odd, ...keys.slice(0, 25)], [...odd].reverse()]) {
      const v = Object.fromEntries(order.map((k, i) => [k, i]));
      expect(stableJson(v)).toBe(cdktfStringify(v, { space: 2 }));
    }
  });

  test('empty containers over two lines, toJSON honoured, undefined dropped in objects and null in lists', () => {
    const v = { b: [], a: {}, c: [undefined, { toJSON: () => 'x' }], d: undefined, e: new Date(0) };
    expect(stableJson(v)).toBe(cdktfStringify(v, { space: 2 }));
    expect(stableJson(v)).toBe('{\n  "a": {\n  },\n  "b": [\n  ],\n  "c": [\n    null,\n    "x"\n  ],\n  "e": "1970-01-01T00:00:00.000Z"\n}');
  });

  test('a circular structure is refused like JSON.stringify; a repeated (not circular) object is fine', () => {
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => stableJson(loop)).toThrow('Converting circular structure to JSON');
    const shared = { x: 1 };
    expect(stableJson({ a: shared, b: shared })).toBe(cdktfStringify({ a: shared, b: shared }, { space: 2 }));
  });

  test('the file writer writes the text in chunks, and emits it piece by piece', () => {
    const big = { items: Array.from({ length: 20000 }, (_, i) => ({ name: `n${i}`, labels: { a: 'b'.repeat(40) } })) };
    const file = path.join(tmp(), 'big.json');
    writeStableJsonFile(file, big);
    expect(fs.readFileSync(file, 'utf8')).toBe(cdktfStringify(big, { space: 2 }));
    let pieces = 0;
    let longest = 0;
    emitStableJson(big, (p) => {
      pieces++;
      longest = Math.max(longest, p.length);
    });
    expect(pieces).toBeGreaterThan(100000);
    expect(longest).toBeLessThan(200);
  });
});

describe('the chunked stack writer', () => {
  function app(outdir: string, setup?: (stack: TerraformStack) => void) {
    const a = new App({ outdir });
    const stack = new TerraformStack(a, 'web');
    setup?.(stack);
    new KubernetesProvider(stack, 'kubernetes', {});
    new KubeDeployment(stack, 'api', { namespace: 'web', name: 'api', containers: [{ name: 'app', imageRegistry: 'docker.io', imageRepository: 'library/nginx', imageTag: '1.27.1' }] });
    return { a, stack };
  }

  test('a stack with library objects writes the same cdk.tf.json as CDKTF would, and the same configuration to validations', () => {
    const dir = tmp();
    const { a, stack } = app(dir);
    expect(stack.synthesizer.constructor.name).toBe('ChunkedStackWriter');
    const seen: unknown[] = [];
    stack.node.addValidation({ validate: () => (seen.push(stack.toTerraform()), []) });
    a.synth();
    const text = fs.readFileSync(path.join(dir, 'stacks', 'web', 'cdk.tf.json'), 'utf8');
    expect(text).toBe(cdktfStringify(stack.toTerraform(), { space: 2 }));
    expect(JSON.parse(text).resource.kubernetes_manifest).toBeDefined();
    // What a validation reads is the real configuration, untouched.
    expect(Object.keys(seen[0] as object)).toEqual(expect.arrayContaining(['resource', 'provider']));
    expect((seen[0] as { toJSON?: unknown }).toJSON).toBeUndefined();
    // Everything put back: stack.toTerraform and the manifest's forStack are the prototype's again.
    expect(Object.prototype.hasOwnProperty.call(stack, 'toTerraform')).toBe(false);
  });

  test('a stack that writes HCL (SYNTH_HCL_OUTPUT) keeps CDKTF\'s synthesizer', () => {
    const before = process.env.SYNTH_HCL_OUTPUT;
    process.env.SYNTH_HCL_OUTPUT = 'true';
    try {
      const { stack } = app(tmp());
      expect(stack.synthesizer.constructor.name).toBe('StackSynthesizer');
    } finally {
      if (before === undefined) delete process.env.SYNTH_HCL_OUTPUT;
      else process.env.SYNTH_HCL_OUTPUT = before;
    }
  });

  test('a stack with its own synthesizer is left alone, and installing twice wraps once', () => {
    const calls: string[] = [];
    const custom: IStackSynthesizer = { synthesize: (_s: ISynthesisSession) => void calls.push('custom') };
    const { a, stack } = app(tmp(), (s) => (s.synthesizer = custom));
    expect(stack.synthesizer).toBe(custom);
    a.synth();
    expect(calls).toEqual(['custom']);
    const other = new TerraformStack(new App({ outdir: tmp() }), 'x');
    useChunkedStackWriter(other);
    const once = other.synthesizer;
    useChunkedStackWriter(other);
    expect(other.synthesizer).toBe(once);
  });
});
