import * as fs from 'fs';

/**
 * JSON in the exact form CDKTF writes a stack's `cdk.tf.json` (json-stable-stringify with
 * `{ space: 2 }`): object keys sorted by code unit, two-space indentation, an empty object or
 * list written over two lines (`{` then `}` on the next line, indented), `toJSON()` honoured,
 * `undefined`, functions and symbols left out of objects and written as `null` in lists, and a
 * circular structure refused. The text is produced piece by piece and written in chunks, so a
 * 25 MB stack never exists as one string, nor as the nested partial strings the recursive writer
 * builds (docs/performance.md: the peak memory of a large synth).
 */

const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';
const prepare = (node: unknown): unknown =>
  node !== null && node !== undefined && typeof (node as { toJSON?: unknown }).toJSON === 'function' ? (node as { toJSON(): unknown }).toJSON() : node;

/**
 * Sorts the keys in place in the order `sort()` gives (by UTF-16 code units). An object's keys
 * are few and often nearly in order: an insertion sort does that without the work array
 * `Array.prototype.sort` allocates.
 */
function sortKeys(keys: string[]): void {
  if (keys.length > 32) {
    keys.sort();
    return;
  }
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i];
    let j = i - 1;
    while (j >= 0 && keys[j] > key) {
      keys[j + 1] = keys[j];
      j--;
    }
    keys[j + 1] = key;
  }
}

/** Writes `value` through `emit`, one small piece at a time. */
export function emitStableJson(value: unknown, emit: (piece: string) => void): void {
  const pads = [''];
  const pad = (level: number): string => {
    while (pads.length <= level) pads.push(`${pads[pads.length - 1]}  `);
    return pads[level];
  };
  const ancestors = new Set<object>();
  // The same keys repeat at the same depths (metadata, labels, spec, ...): the text that leads
  // each one (`\n`, the indentation, the quoted key, `: `) is made once per depth.
  const keyLeads: Map<string, string>[] = [];
  const keyLead = (level: number, key: string): string => {
    let leads = keyLeads[level];
    if (leads === undefined) keyLeads[level] = leads = new Map();
    let lead = leads.get(key);
    if (lead === undefined) {
      lead = `\n${pad(level)}${JSON.stringify(key)}: `;
      if (leads.size < 10000) leads.set(key, lead);
    }
    return lead;
  };
  const lines: string[] = [];
  const line = (level: number): string => lines[level] ?? (lines[level] = `\n${pad(level)}`);
  const write = (node: unknown, level: number): void => {
    if (typeof node !== 'object' || node === null) {
      emit(JSON.stringify(node));
      return;
    }
    if (Array.isArray(node)) {
      emit('[');
      for (let i = 0; i < node.length; i++) {
        if (i > 0) emit(',');
        emit(line(level + 1));
        const item = prepare(node[i]);
        if (skipped(item)) emit('null');
        else write(item, level + 1);
      }
      emit(line(level));
      emit(']');
      return;
    }
    if (ancestors.has(node)) throw new TypeError('Converting circular structure to JSON');
    ancestors.add(node);
    emit('{');
    let first = true;
    const keys = Object.keys(node);
    sortKeys(keys);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      const item = prepare((node as Record<string, unknown>)[key]);
      if (skipped(item)) continue;
      if (!first) emit(',');
      first = false;
      emit(keyLead(level + 1, key));
      write(item, level + 1);
    }
    emit(line(level));
    emit('}');
    ancestors.delete(node);
  };
  const root = prepare(value);
  if (!skipped(root)) write(root, 0);
}

/** The text `emitStableJson` produces, as one string (for small values and tests). */
export function stableJson(value: unknown): string {
  const pieces: string[] = [];
  emitStableJson(value, (p) => pieces.push(p));
  return pieces.join('');
}

/** Writes `value` to `file` (replacing it) as `emitStableJson` produces it, in chunks of about 1 MB. */
export function writeStableJsonFile(file: string, value: unknown): void {
  const fd = fs.openSync(file, 'w');
  try {
    // Appending to one string (V8 keeps it as a rope until written) is cheaper than collecting pieces.
    let chunk = '';
    emitStableJson(value, (p) => {
      chunk += p;
      if (chunk.length >= 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    });
    if (chunk.length > 0) fs.writeSync(fd, chunk);
  } finally {
    fs.closeSync(fd);
  }
}
