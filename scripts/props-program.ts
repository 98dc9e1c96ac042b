/**
 * TypeScript compiler API helpers shared by the generators that read construct props types:
 * terragrunt-compat/gen-prop-shapes.ts (keys Panfactum inputs map to) and
 * scripts/gen-prop-types.ts (the runtime type check of every construct's props).
 */
import * as path from 'path';
import * as ts from 'typescript';

/** The repository root (where tsconfig.json is). */
export const REPO_ROOT = path.join(__dirname, '..');

/** A type-checked program over `rootFiles`, with the repository's tsconfig options. */
export function createRepoProgram(rootFiles: readonly string[]): { program: ts.Program; checker: ts.TypeChecker } {
  const configPath = ts.findConfigFile(REPO_ROOT, ts.sys.fileExists, 'tsconfig.json')!;
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, ts.sys.readFile).config, ts.sys, path.dirname(configPath));
  const program = ts.createProgram([...rootFiles], { ...config.options, noEmit: true, incremental: false });
  return { program, checker: program.getTypeChecker() };
}

/**
 * The props type of a construct class (`typeof KubeDeployment`): the type of the third parameter
 * of its constructor, `(scope, id, props)`; undefined when the constructor takes no props.
 */
export function constructPropsType(checker: ts.TypeChecker, classType: ts.Type, location: ts.Node): ts.Type | undefined {
  const ctor = classType.getConstructSignatures()[0];
  const propsParam = ctor?.getParameters()[2];
  return propsParam ? checker.getTypeOfSymbolAtLocation(propsParam, location) : undefined;
}

/** A string, number, boolean, bigint or enum type (or a literal of one). */
export function isPrimitive(t: ts.Type): boolean {
  return (t.flags & (ts.TypeFlags.StringLike | ts.TypeFlags.NumberLike | ts.TypeFlags.BooleanLike | ts.TypeFlags.BigIntLike | ts.TypeFlags.EnumLike)) !== 0;
}

/** The instance type of a class (a construct, a provider, a PolicyDocument). */
export function isClassInstance(t: ts.Type): boolean {
  const sym = t.getSymbol();
  return !!sym && (sym.flags & ts.SymbolFlags.Class) !== 0;
}
