/**
 * Regenerate terragrunt-compat/prop-shapes.generated.ts from the props types of the
 * constructs in registry.ts (the third constructor parameter of each class), using the
 * TypeScript compiler API. Run after adding a module to the registry or changing props:
 *
 *     npx tsx terragrunt-compat/gen-prop-shapes.ts          # write
 *     npx tsx terragrunt-compat/gen-prop-shapes.ts --check  # fail when out of date
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type { PropShape } from './shapes';

const REGISTRY = path.join(__dirname, 'registry.ts');
const OUTPUT = path.join(__dirname, 'prop-shapes.generated.ts');

/** Build the shapes of every registered module (sorted by module name). */
export function generatePropShapes(): Record<string, PropShape> {
  const configPath = ts.findConfigFile(path.join(__dirname, '..'), ts.sys.fileExists, 'tsconfig.json')!;
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([REGISTRY], { ...config.options, noEmit: true, incremental: false });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(REGISTRY)!;

  let table: ts.ObjectLiteralExpression | undefined;
  source.forEachChild(function visit(node) {
    if (ts.isVariableDeclaration(node) && node.name.getText(source) === 'PANFACTUM_MODULES' && node.initializer) {
      let init: ts.Expression = node.initializer;
      while (ts.isSatisfiesExpression(init) || ts.isAsExpression(init)) init = init.expression;
      if (ts.isObjectLiteralExpression(init)) table = init;
    }
    node.forEachChild(visit);
  });
  if (!table) throw new Error(`${REGISTRY}: PANFACTUM_MODULES object literal not found`);

  const out: Record<string, PropShape> = {};
  for (const prop of table.properties) {
    if (!ts.isPropertyAssignment(prop) || !ts.isObjectLiteralExpression(prop.initializer)) continue;
    const moduleName = prop.name.getText(source);
    const constructProp = prop.initializer.properties.find((p) => p.name?.getText(source) === 'construct');
    if (!constructProp || !ts.isPropertyAssignment(constructProp)) throw new Error(`${moduleName}: no construct`);
    const classType = checker.getTypeAtLocation(constructProp.initializer);
    const ctor = classType.getConstructSignatures()[0];
    const propsParam = ctor?.getParameters()[2];
    if (!propsParam) throw new Error(`${moduleName}: the construct does not take (scope, id, props)`);
    const propsType = checker.getTypeOfSymbolAtLocation(propsParam, constructProp.initializer);
    const shape = toShape(checker, propsType, new Set());
    if (!shape || typeof shape === 'string' || !('object' in shape)) throw new Error(`${moduleName}: props are not an object type`);
    out[moduleName] = shape;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

function isPrimitive(t: ts.Type): boolean {
  return (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike)) !== 0;
}

function isClassInstance(t: ts.Type): boolean {
  const sym = t.getSymbol();
  return !!sym && (sym.flags & ts.SymbolFlags.Class) !== 0;
}

/** undefined = not expressible in YAML/HCL (a construct or provider object): the key is left out. */
function toShape(checker: ts.TypeChecker, type: ts.Type, seen: Set<ts.Type>): PropShape | undefined {
  const t = checker.getNonNullableType(type);
  if (t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'value';
  if (isPrimitive(t)) return 'value';
  if (t.isUnion()) {
    const members = t.types.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)));
    if (members.some(isPrimitive)) return 'value';
    const shapes = members.map((m) => toShape(checker, m, seen)).filter((s): s is PropShape => s !== undefined);
    if (shapes.length === 0) return undefined;
    const objects = shapes.filter((s): s is { object: Record<string, PropShape> } => typeof s !== 'string' && 'object' in s);
    if (objects.length !== shapes.length) return 'value';
    return { object: Object.assign({}, ...objects.map((o) => o.object)) };
  }
  if (checker.isArrayType(t) || checker.isTupleType(t)) {
    const item = checker.getTypeArguments(t as ts.TypeReference)[0];
    const s = item ? toShape(checker, item, seen) : 'value';
    return s === undefined ? undefined : { list: s };
  }
  if (isClassInstance(t)) return undefined;
  if (t.getCallSignatures().length > 0) return undefined;
  if (seen.has(t)) return 'value';
  const index = checker.getIndexInfoOfType(t, ts.IndexKind.String);
  const props = checker.getPropertiesOfType(t);
  if (index && props.length === 0) {
    const s = toShape(checker, index.type, new Set([...seen, t]));
    return { map: s ?? 'value' };
  }
  if (!(t.flags & ts.TypeFlags.Object)) return 'value';
  const object: Record<string, PropShape> = {};
  const next = new Set([...seen, t]);
  for (const p of props) {
    const decl = p.valueDeclaration ?? p.declarations?.[0];
    if (!decl) continue;
    const s = toShape(checker, checker.getTypeOfSymbolAtLocation(p, decl), next);
    if (s !== undefined) object[p.getName()] = s;
  }
  return { object: Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b))) };
}

/** The generated file's text. */
export function renderPropShapes(shapes: Record<string, PropShape>): string {
  return [
    '// Generated by terragrunt-compat/gen-prop-shapes.ts from the construct props types. Do not edit;',
    '// run `npx tsx terragrunt-compat/gen-prop-shapes.ts` after changing registry.ts or a props type.',
    "import type { PropShape } from './shapes';",
    '',
    '/** Allowed props of each registered Panfactum module, by module name. */',
    `export const PROP_SHAPES: Readonly<Record<string, PropShape>> = ${JSON.stringify(shapes, null, 2)};`,
    '',
  ].join('\n');
}

if (require.main === module) {
  const text = renderPropShapes(generatePropShapes());
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), OUTPUT)} is out of date: run npx tsx terragrunt-compat/gen-prop-shapes.ts`);
      process.exit(1);
    }
    console.log('prop shapes up to date');
  } else {
    fs.writeFileSync(OUTPUT, text);
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
  }
}
