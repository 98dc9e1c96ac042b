/**
 * Regenerate lib/constructs/prop-types.generated.ts: a runtime description of the props type of
 * EVERY exported construct class in lib/constructs (the third constructor parameter), read from
 * the TypeScript declarations with the compiler API. lib/core/prop-types.ts checks props against
 * it at the top of each constructor, so a JavaScript caller (or an `as any`) passing a wrong type,
 * null, NaN, an unknown key ... gets a ValidationError naming the prop instead of a TypeError or
 * silently wrong output. Run after adding a construct or changing a props type:
 *
 *     npm run gen:prop-types                        # write
 *     npx tsx scripts/gen-prop-types.ts --check     # fail when out of date (part of npm test)
 *
 * What each TypeScript type becomes (see PropType in lib/core/prop-types.ts):
 * - string / template literal types -> 'string'; number -> 'number'; boolean -> 'boolean';
 *   any / unknown -> 'any'; null -> 'null' (undefined only makes a prop optional);
 * - a union of string (or number) literals -> { enum: [...] }, other unions -> { union: [...] };
 * - arrays, readonly arrays and tuples -> { list: item }; a string index signature -> { map: value };
 * - an object type declared in this repository -> { fields } (named interfaces and aliases are
 *   emitted once, by name, and referenced as { ref }); `?` marks an optional field; `instances`
 *   marks an interface an exported construct implements (IPodSelector, IScalableWorkload ...), so
 *   the construct itself may be passed;
 * - class instances (TerraformProvider, KubeNamespace, PolicyDocument) -> { instance: name };
 *   object types declared in packages (ITerraformDependable, kubernetes-models interfaces) and the
 *   OPAQUE escape hatches below -> { opaque: name }; functions -> 'function'. These are only
 *   checked for being an object (a function).
 */
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import type { PropType } from '../lib/core/prop-types';
import { REPO_ROOT, constructPropsType, createRepoProgram, isClassInstance } from './props-program';

const CONSTRUCTS_DIR = path.join(REPO_ROOT, 'lib', 'constructs');
const OUTPUT = path.join(CONSTRUCTS_DIR, 'prop-types.generated.ts');
/** Props types checked outside a construct constructor (EnvironmentContext.set). */
const EXTRA_TYPES: ReadonlyArray<{ file: string; name: string }> = [{ file: path.join(REPO_ROOT, 'lib', 'core', 'context.ts'), name: 'EnvironmentContextProps' }];
/**
 * Escape hatches whose value is any object of the kind (a typed kubernetes-models object, often a
 * class instance with more fields than the interface names): checked only for being an object.
 */
const OPAQUE = new Set(['KubernetesObject']);
/** Order of primitive members in a union. */
const PRIMITIVES: readonly PropType[] = ['string', 'number', 'boolean', 'null', 'function'];

export interface GeneratedPropTypes {
  /** Construct class name -> its props type (normally a ref). */
  readonly constructs: Record<string, PropType>;
  /** Named object types, by name. */
  readonly types: Record<string, PropType>;
}

export function generatePropTypes(): GeneratedPropTypes {
  const files = fs.readdirSync(CONSTRUCTS_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.generated.ts')).sort().map((f) => path.join(CONSTRUCTS_DIR, f));
  const { program, checker } = createRepoProgram([...files, ...EXTRA_TYPES.map((e) => e.file)]);
  const inRepo = (sf: ts.SourceFile) => !program.isSourceFileDefaultLibrary(sf) && !sf.fileName.includes('/node_modules/');

  // ---- every exported, non-abstract Construct subclass ----
  const classes: Array<{ name: string; instanceType: ts.Type; propsType: ts.Type }> = [];
  for (const file of files) {
    const source = program.getSourceFile(file)!;
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      const modifiers = ts.getModifiers(statement) ?? [];
      if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) || modifiers.some((m) => m.kind === ts.SyntaxKind.AbstractKeyword)) continue;
      const symbol = checker.getSymbolAtLocation(statement.name)!;
      const instanceType = checker.getDeclaredTypeOfSymbol(symbol);
      if (!extendsConstruct(checker, instanceType)) continue;
      const propsType = constructPropsType(checker, checker.getTypeOfSymbolAtLocation(symbol, statement), statement);
      if (!propsType) throw new Error(`${path.relative(REPO_ROOT, file)}: ${statement.name.text} does not take (scope, id, props)`);
      classes.push({ name: statement.name.text, instanceType, propsType });
    }
  }
  classes.sort((a, b) => a.name.localeCompare(b.name));

  const types: Record<string, PropType> = {};
  const nameOf = new Map<ts.Type, string>();

  /**
   * True for an interface of lib/constructs (not a props type) that an exported construct
   * implements structurally, such as IPodSelector or NetworkPolicyWorkload: the construct itself
   * may be passed. (Data interfaces elsewhere are not: a construct with a `name` would match them.)
   */
  const implementedByConstruct = (t: ts.Type) => {
    const symbol = t.getSymbol();
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
    if (!symbol || !(symbol.flags & ts.SymbolFlags.Interface) || path.dirname(file) !== CONSTRUCTS_DIR || symbol.getName().endsWith('Props')) return false;
    return classes.some((c) => checker.isTypeAssignableTo(c.instanceType, t));
  };

  /**
   * @param node the type's syntax, when known: literal unions keep the order they are written in
   * (the checker orders union members by creation, so messages would list them shuffled).
   */
  const describe = (type: ts.Type, stack: ReadonlySet<ts.Type>, node?: ts.TypeNode): PropType => {
    const f = type.flags;
    if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return 'any';
    if (f & ts.TypeFlags.Null) return 'null';
    if (f & ts.TypeFlags.StringLiteral) return { enum: [(type as ts.StringLiteralType).value] };
    if (f & ts.TypeFlags.NumberLiteral) return { enum: [(type as ts.NumberLiteralType).value] };
    if (f & ts.TypeFlags.BooleanLike) return 'boolean';
    if (f & ts.TypeFlags.StringLike) return 'string';
    if (f & ts.TypeFlags.NumberLike) return 'number';
    if (f & ts.TypeFlags.BigIntLike) return 'any';
    if (type.isUnion()) return describeUnionOf(type.types, stack, literalOrder(node ?? aliasNode(type)));
    if (checker.isArrayType(type) || checker.isTupleType(type)) {
      const args = checker.getTypeArguments(type as ts.TypeReference);
      const itemNode = node && ts.isArrayTypeNode(node) ? node.elementType : node && ts.isTypeReferenceNode(node) ? node.typeArguments?.[0] : undefined;
      const items = args.length === 1 ? describe(args[0], stack, itemNode) : describeUnionOf([...args], stack, []);
      return { list: items };
    }
    const symbol = type.aliasSymbol && !type.aliasTypeArguments ? type.aliasSymbol : type.getSymbol();
    const declared = symbol?.declarations?.[0]?.getSourceFile();
    if (type.getCallSignatures().length > 0 && checker.getPropertiesOfType(type).length === 0) return 'function';
    if (isClassInstance(type)) return { instance: type.getSymbol()!.getName() };
    if (symbol && OPAQUE.has(symbol.getName())) return { opaque: symbol.getName() };
    if (declared && !inRepo(declared) && !program.isSourceFileDefaultLibrary(declared)) return { opaque: symbol!.getName() };
    if (type.getCallSignatures().length > 0) return 'function';
    if (!(f & ts.TypeFlags.Object) && !type.isIntersection()) return 'any';
    const props = checker.getPropertiesOfType(type);
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (index && props.length === 0) return { map: describe(index.type, stack, node && ts.isTypeReferenceNode(node) ? node.typeArguments?.[1] : undefined) };
    // A named interface or alias in this repository: emitted once, referenced by name.
    const name = namedType(type);
    if (name) {
      const known = nameOf.get(type);
      if (known) return { ref: known };
      let unique = name;
      for (let i = 2; types[unique] !== undefined; i++) unique = `${name}_${i}`;
      nameOf.set(type, unique);
      types[unique] = 'any'; // placeholder while its fields are described (recursive types)
      types[unique] = describeObject(type, props, stack);
      return { ref: unique };
    }
    if (stack.has(type)) return 'any';
    return describeObject(type, props, new Set([...stack, type]));
  };

  const namedType = (type: ts.Type): string | undefined => {
    if (type.aliasSymbol && !type.aliasTypeArguments && isRepoSymbol(type.aliasSymbol)) return type.aliasSymbol.getName();
    const symbol = type.getSymbol();
    if (symbol && symbol.flags & ts.SymbolFlags.Interface && isRepoSymbol(symbol) && !(type as ts.TypeReference).typeArguments?.length) return symbol.getName();
    return undefined;
  };
  const isRepoSymbol = (s: ts.Symbol) => !!s.declarations?.length && s.declarations.every((d) => inRepo(d.getSourceFile()));

  const describeObject = (type: ts.Type, props: readonly ts.Symbol[], stack: ReadonlySet<ts.Type>): PropType => {
    const fields: Record<string, PropType> = {};
    for (const p of [...props].sort((a, b) => a.getName().localeCompare(b.getName()))) {
      const decl = p.valueDeclaration ?? p.declarations?.[0];
      if (!decl) continue;
      const t = checker.getTypeOfSymbolAtLocation(p, decl);
      const optional = (p.flags & ts.SymbolFlags.Optional) !== 0 || (t.isUnion() && t.types.some((m) => m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)));
      const typeNode = (ts.isPropertySignature(decl) || ts.isPropertyDeclaration(decl)) ? decl.type : undefined;
      fields[optional ? `${p.getName()}?` : p.getName()] = describe(t, stack, typeNode); // a union drops its undefined
    }
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    return {
      fields,
      ...(index ? { rest: describe(index.type, stack) } : {}),
      ...(implementedByConstruct(type) ? { instances: true as const } : {}),
    };
  };

  /** The type node of a type alias (`type ProbeType = 'exec' | 'HTTP' | 'TCP'`). */
  const aliasNode = (type: ts.Type): ts.TypeNode | undefined => {
    const decl = type.aliasSymbol?.declarations?.[0];
    return decl && ts.isTypeAliasDeclaration(decl) ? decl.type : undefined;
  };

  /** The literals of a union as written, following type aliases. */
  const literalOrder = (node: ts.TypeNode | undefined): Array<string | number> => {
    if (!node) return [];
    if (ts.isUnionTypeNode(node)) return node.types.flatMap(literalOrder);
    if (ts.isParenthesizedTypeNode(node)) return literalOrder(node.type);
    if (ts.isLiteralTypeNode(node)) {
      if (ts.isStringLiteral(node.literal)) return [node.literal.text];
      if (ts.isNumericLiteral(node.literal)) return [Number(node.literal.text)];
      return [];
    }
    if (ts.isTypeReferenceNode(node)) {
      let symbol = checker.getSymbolAtLocation(node.typeName);
      if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
      const decl = symbol?.declarations?.[0];
      return decl && ts.isTypeAliasDeclaration(decl) ? literalOrder(decl.type) : [];
    }
    return [];
  };

  const describeUnionOf = (members: readonly ts.Type[], stack: ReadonlySet<ts.Type>, order: ReadonlyArray<string | number>): PropType => {
    const parts = members.filter((m) => !(m.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Void))).map((m) => describe(m, stack));
    const out: PropType[] = [];
    const literals: Array<string | number> = [];
    const push = (p: PropType) => {
      if (!out.some((o) => JSON.stringify(o) === JSON.stringify(p))) out.push(p);
    };
    for (const p of parts) {
      if (typeof p === 'object' && 'enum' in p) literals.push(...p.enum);
      else if (typeof p === 'object' && 'union' in p) p.union.forEach(push);
      else push(p);
    }
    // A literal next to its own primitive (`'auto' | string`) adds nothing.
    const position = (l: string | number) => (order.includes(l) ? order.indexOf(l) : order.length);
    const kept = literals.filter((l) => !out.includes(typeof l === 'string' ? 'string' : 'number')).sort((a, b) => position(a) - position(b));
    if (kept.length > 0) out.unshift({ enum: [...new Set(kept)] });
    if (out.includes('any')) return 'any';
    // The checker orders union members by type creation, which shifts as code changes: sort them.
    const rank = (p: PropType) => (typeof p === 'object' && 'enum' in p ? 0 : typeof p === 'string' ? 1 + PRIMITIVES.indexOf(p) : 10);
    out.sort((a, b) => rank(a) - rank(b) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
    return out.length === 1 ? out[0] : { union: out };
  };

  const constructs: Record<string, PropType> = {};
  for (const c of classes) constructs[c.name] = describe(c.propsType, new Set());
  for (const extra of EXTRA_TYPES) {
    const source = program.getSourceFile(extra.file)!;
    const decl = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === extra.name);
    if (!decl) throw new Error(`${extra.file}: interface ${extra.name} not found`);
    describe(checker.getTypeAtLocation(decl.name), new Set());
  }
  const sortedTypes = Object.fromEntries(Object.entries(types).sort(([a], [b]) => a.localeCompare(b)));
  return { constructs, types: sortedTypes };
}

function extendsConstruct(checker: ts.TypeChecker, t: ts.Type): boolean {
  for (let current: ts.Type | undefined = t; current; ) {
    const symbol = current.getSymbol();
    const file = symbol?.declarations?.[0]?.getSourceFile().fileName ?? '';
    if (symbol?.getName() === 'Construct' && file.includes('/node_modules/constructs/')) return true;
    current = checker.getBaseTypes(current as ts.InterfaceType)[0];
  }
  return false;
}

/** The generated file's text: one line per construct and per named type. */
export function renderPropTypes(generated: GeneratedPropTypes): string {
  const line = (k: string, v: PropType) => `  ${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${JSON.stringify(v)},`;
  return [
    '// Generated by scripts/gen-prop-types.ts from the construct props types. Do not edit;',
    '// run `npm run gen:prop-types` after adding a construct or changing a props type.',
    "import type { PropType } from '../core/prop-types';",
    '',
    '/** The props type of every exported construct class of lib/constructs, by class name. */',
    'export const CONSTRUCT_PROP_TYPES = {',
    ...Object.entries(generated.constructs).map(([k, v]) => line(k, v)),
    '} satisfies Record<string, PropType>;',
    '',
    '/** Named object types the descriptions above refer to (`{ ref }`). */',
    'export const NAMED_PROP_TYPES: Readonly<Record<string, PropType>> = {',
    ...Object.entries(generated.types).map(([k, v]) => line(k, v)),
    '};',
    '',
  ].join('\n');
}

if (require.main === module) {
  const text = renderPropTypes(generatePropTypes());
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${path.relative(process.cwd(), OUTPUT)} is out of date: run npm run gen:prop-types`);
      process.exit(1);
    }
    console.log('prop types up to date');
  } else {
    fs.writeFileSync(OUTPUT, text);
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT)}`);
  }
}
