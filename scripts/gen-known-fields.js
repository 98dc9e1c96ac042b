#!/usr/bin/env node
/*
 * Generates lib/k8s/schema/known-fields.generated.ts: the graph of known field names of
 * every Kubernetes type reachable from the kinds in lib/k8s/schema/kinds.ts, read from the
 * kubernetes-models `.d.ts` declaration files with the TypeScript compiler API.
 *
 * kubernetes-models ships only compiled validators whose schemas do not reject unknown
 * fields; the runtime walks objects against this graph to find them (typos such as
 * `imagePullPolicyy`).
 *
 * Usage:  node scripts/gen-known-fields.js           (rewrites the file)
 *         node scripts/gen-known-fields.js --check   (exit 1 when the committed file is stale)
 *
 * Plain JavaScript (no ts-node, no build step). Graph format, one entry per type:
 *   { "<typeName>": { "<field>": "<childTypeName>" | 0 } }
 * 0 = a leaf or free-form value (scalar, string/number union, map of scalars, IntOrString,
 * Quantity, any / raw JSON); a child type name = an object (or array of objects) of that
 * type. The special field "*" means "any other key is allowed": its value is 0 for
 * free-form values or a child type for maps whose values are typed objects.
 * Type names are the declaring file's module path without the `kubernetes-models/` or
 * `@kubernetes-models/` prefix (`v1/Container`); inline anonymous types are named after
 * their parent and field (`autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler.spec`).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const Module = require('module');
const ts = require('typescript');

const ROOT = path.resolve(__dirname, '..');
const KINDS_FILE = path.join(ROOT, 'lib/k8s/schema/kinds.ts');
const OUT_FILE = path.join(ROOT, 'lib/k8s/schema/known-fields.generated.ts');

/** Loads a dependency-free TypeScript module by transpiling it in memory. */
/**
 * Fields the Kubernetes API accepts that the packaged kubernetes-models declarations
 * predate. Each entry: owning type -> field -> 0 (leaf) or a new child type. Keep it short
 * and cite the version that added the field; remove an entry once the package has it.
 */
const FIELD_SUPPLEMENTS = {
  // VPA 1.1 (2024): updatePolicy.evictionRequirements; @kubernetes-models/autoscaler 3.3.4 predates it.
  'autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler.spec.updatePolicy': {
    evictionRequirements: {
      name: 'autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler.spec.updatePolicy.evictionRequirements',
      fields: { changeRequirement: 0, resources: 0 },
    },
  },
};

function loadTsModule(file) {
  const source = fs.readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
    fileName: file,
  });
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(path.dirname(file));
  m._compile(outputText, file);
  return m.exports;
}

/** `/x/node_modules/kubernetes-models/v1/Container.d.ts` -> `v1/Container`. */
function fileTypeName(fileName, typeNameOfModule) {
  const normalized = fileName.replace(/\\/g, '/');
  const i = normalized.lastIndexOf('/node_modules/');
  const rel = (i >= 0 ? normalized.slice(i + '/node_modules/'.length) : path.relative(ROOT, normalized)).replace(/\.d\.ts$/, '');
  return typeNameOfModule(rel);
}

function generate() {
  const { BUILTIN_KINDS, typeNameOfModule } = loadTsModule(KINDS_FILE);

  const roots = BUILTIN_KINDS.map((k) => {
    const js = require.resolve(k.module, { paths: [ROOT] });
    return { def: k, dts: js.replace(/\.js$/, '.d.ts') };
  });

  const program = ts.createProgram(
    roots.map((r) => r.dts),
    { noEmit: true, skipLibCheck: true, types: [], noResolve: false, target: ts.ScriptTarget.ES2020, moduleResolution: ts.ModuleResolutionKind.Node10 },
  );
  const checker = program.getTypeChecker();

  /** @type {Record<string, Record<string, string|0>>} */
  const graph = {};
  /** named ts.Type (interfaces) -> name */
  const named = new Map();

  const FREE = ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.NonPrimitive;
  const SKIP = ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Void | ts.TypeFlags.Never;

  /** Flattens unions and arrays into the object member types; returns null when free-form. */
  function objectMembers(type, out) {
    if (type.flags & FREE) return null;
    if (type.flags & SKIP) return out;
    if (type.isUnion()) {
      for (const t of type.types) if (objectMembers(t, out) === null) return null;
      return out;
    }
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      for (const t of checker.getTypeArguments(type)) if (objectMembers(t, out) === null) return null;
      return out;
    }
    if (type.flags & ts.TypeFlags.Object || type.isIntersection()) {
      out.push(type);
      return out;
    }
    return out; // string, number, boolean, literals, enums: leaves
  }

  /** The symbol name of an interface declared in a .d.ts file, or undefined for inline types. */
  function namedTypeName(type) {
    const sym = type.aliasSymbol || type.getSymbol();
    if (!sym || !sym.declarations || sym.declarations.length === 0) return undefined;
    const decl = sym.declarations[0];
    if (!ts.isInterfaceDeclaration(decl) && !ts.isTypeAliasDeclaration(decl)) return undefined;
    const base = fileTypeName(decl.getSourceFile().fileName, typeNameOfModule);
    const fileBase = path.basename(decl.getSourceFile().fileName, '.d.ts');
    return sym.name === `I${fileBase}` ? base : `${base}#${sym.name}`;
  }

  /** Returns 0 or the graph name of the (merged) object type, adding it to the graph. */
  function classify(type, hint) {
    const members = objectMembers(type, []);
    if (members === null || members.length === 0) return 0;
    const name = members.length === 1 ? namedTypeName(members[0]) || hint : hint;
    if (graph[name]) return name;
    const fields = {};
    graph[name] = fields; // registered first: recursive types terminate
    let indexValue;
    let hasIndex = false;
    let hasProps = false;
    for (const m of members) {
      for (const prop of checker.getPropertiesOfType(m)) {
        hasProps = true;
        const decl = prop.valueDeclaration || (prop.declarations && prop.declarations[0]);
        const propType = decl ? checker.getTypeOfSymbolAtLocation(prop, decl) : checker.getTypeOfSymbol(prop);
        const child = classify(propType, `${name}.${prop.name}`);
        // The same field in two union members: keep the typed one.
        if (!(prop.name in fields) || fields[prop.name] === 0) fields[prop.name] = child;
      }
      const idx = checker.getIndexTypeOfType(m, ts.IndexKind.String);
      if (idx) {
        hasIndex = true;
        const child = classify(idx, `${name}.*`);
        indexValue = indexValue === undefined ? child : indexValue === 0 ? 0 : child === 0 ? 0 : indexValue;
      }
    }
    if (!hasProps && !hasIndex) {
      delete graph[name]; // `{}` / `object`: free-form
      return 0;
    }
    if (!hasProps && indexValue === 0) {
      delete graph[name]; // plain map of scalars (labels, data, requests...)
      return 0;
    }
    if (hasIndex) fields['*'] = indexValue;
    return name;
  }

  for (const { def, dts } of roots) {
    const sf = program.getSourceFile(dts);
    if (!sf) throw new Error(`cannot read ${dts} for ${def.apiVersion} ${def.kind}`);
    const moduleSymbol = checker.getSymbolAtLocation(sf);
    const exportSym = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === `I${def.kind}`);
    if (!exportSym) throw new Error(`${dts} does not export interface I${def.kind}`);
    const sym = exportSym.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exportSym) : exportSym;
    const type = checker.getDeclaredTypeOfSymbol(sym);
    const rootName = typeNameOfModule(def.module);
    const got = classify(type, rootName);
    if (got !== rootName) throw new Error(`root type of ${def.module} was named ${got}, expected ${rootName}`);
    // Status is written by controllers, never by the library: accept it without walking it.
    if ('status' in graph[rootName]) graph[rootName].status = 0;
  }

  // Fields newer than the packaged declarations (see FIELD_SUPPLEMENTS).
  for (const [typeName, fields] of Object.entries(FIELD_SUPPLEMENTS)) {
    if (!graph[typeName]) throw new Error(`FIELD_SUPPLEMENTS names ${typeName}, which is not in the graph`);
    for (const [field, child] of Object.entries(fields)) {
      if (child !== 0) graph[child.name] = child.fields;
      graph[typeName][field] = child === 0 ? 0 : child.name;
    }
  }

  // Drop types only reachable through the status subtrees.
  const reachable = new Set();
  const stack = roots.map((r) => typeNameOfModule(r.def.module));
  while (stack.length) {
    const n = stack.pop();
    if (reachable.has(n)) continue;
    reachable.add(n);
    for (const v of Object.values(graph[n])) if (v !== 0) stack.push(v);
  }
  const names = Object.keys(graph).filter((n) => reachable.has(n)).sort();
  return render(names.map((n) => [n, sortKeys(graph[n])]));
}

function sortKeys(obj) {
  const out = {};
  for (const k of Object.keys(obj).sort()) out[k] = obj[k];
  return out;
}

function render(entries) {
  const lines = entries.map(([n, f]) => `${JSON.stringify(n)}:${JSON.stringify(f)}`);
  const json = `{\n${lines.join(',\n')}\n}`;
  if (/[`\\]|\$\{/.test(json)) throw new Error('known-fields JSON contains characters that cannot go in a template literal');
  return [
    '// GENERATED by scripts/gen-known-fields.js from the kubernetes-models .d.ts files for the',
    '// kinds in lib/k8s/schema/kinds.ts. Do not edit: run `node scripts/gen-known-fields.js`.',
    '// Format: {typeName: {field: childTypeName | 0}}; "*" = any other key (see the script).',
    '/* eslint-disable */',
    `export const KNOWN_FIELDS_JSON = \`${json}\`;`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const text = generate();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUT_FILE) ? fs.readFileSync(OUT_FILE, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(ROOT, OUT_FILE)} is out of date: run node scripts/gen-known-fields.js`);
      process.exit(1);
    }
    console.log(`${path.relative(ROOT, OUT_FILE)} is up to date`);
  } else {
    fs.writeFileSync(OUT_FILE, text);
    console.log(`wrote ${path.relative(ROOT, OUT_FILE)}`);
  }
}

module.exports = { generate, OUT_FILE };
