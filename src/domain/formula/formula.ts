/**
 * Formula metrics: `won_revenue / pipeline_revenue * 100`. The text is parsed by a mathjs instance
 * limited to what a formula needs (numbers, + - * / ^, parentheses, min max abs round sqrt), then every
 * node of the tree is checked against that list; only a tree that passes is ever evaluated, and it is
 * evaluated against a Map of the inputs (no object scope, so `constructor` or `__proto__` are plain
 * names that no value answers). Nothing here reaches `eval`, `Function` or the global object.
 *
 * Worked example: won_revenue = 120, pipeline_revenue = 480 → 120 / 480 * 100 = 25.
 */
import {
  absDependencies,
  addDependencies,
  create,
  divideDependencies,
  type FactoryFunctionMap,
  type MathNode,
  maxDependencies,
  minDependencies,
  multiplyDependencies,
  parseDependencies,
  powDependencies,
  roundDependencies,
  sqrtDependencies,
  subtractDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
} from "mathjs/number";

const factories = {
  parseDependencies,
  addDependencies,
  subtractDependencies,
  multiplyDependencies,
  divideDependencies,
  unaryMinusDependencies,
  unaryPlusDependencies,
  powDependencies,
  minDependencies,
  maxDependencies,
  absDependencies,
  roundDependencies,
  sqrtDependencies,
};
// The typings allow a missing dependency map; with this package's exports none is missing.
for (const [name, f] of Object.entries(factories)) if (!f) throw new Error(`mathjs lacks ${name}`);
const math = create(
  factories as Record<string, FactoryFunctionMap>,
  // predictable: sqrt(-1) and (-8)^(1/3) answer NaN (then "no value"), never a complex number.
  { number: "number", predictable: true },
);
const parseExpression = math.parse;
// As mathjs's security notes advise: the functions that could define or reach other code are disabled.
const disabled = (name: string) => () => {
  throw new Error(`${name} is disabled in formulas`);
};
math.import(
  Object.fromEntries(
    ["import", "createUnit", "evaluate", "parse", "simplify", "derivative", "compile", "resolve"].map((n) => [
      n,
      disabled(n),
    ]),
  ),
  { override: true },
);

/** The functions a formula may call, with how many arguments each takes. */
export const FORMULA_FUNCTIONS: Readonly<Record<string, { min: number; max: number }>> = {
  min: { min: 1, max: 20 },
  max: { min: 1, max: 20 },
  abs: { min: 1, max: 1 },
  round: { min: 1, max: 2 },
  sqrt: { min: 1, max: 1 },
};
const has = (o: object, k: string) => Object.hasOwn(o, k);

const OPERATORS: Readonly<Record<string, string>> = {
  add: "+",
  subtract: "-",
  multiply: "*",
  divide: "/",
  pow: "^",
  unaryMinus: "-",
  unaryPlus: "+",
};

/** A problem with the text, `position` 1-based (the character it starts at) when known. */
export type FormulaProblem = { message: string; position: number | null };

export type ParsedFormula = {
  text: string;
  /** the metric keys it reads, each once, in order of first appearance */
  references: string[];
  node: MathNode;
};

/** Where `pattern` first matches in `text`, 1-based; null when it does not. */
function positionOf(text: string, pattern: RegExp): number | null {
  const m = pattern.exec(text);
  return m ? m.index + 1 : null;
}
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const word = (name: string) => new RegExp(`(?<![A-Za-z0-9_])${escapeRegExp(name)}(?![A-Za-z0-9_])`);

/** The first node that is not allowed, described; and the symbols the tree reads. */
function inspect(text: string, root: MathNode): { problem: FormulaProblem | null; references: string[] } {
  const references: string[] = [];
  const problem = (message: string, at: RegExp | null) => ({
    problem: { message, position: at ? positionOf(text, at) : null },
    references,
  });
  const stack: MathNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    // Checked by `type` (a plain string), not by mathjs's own type guards, so nothing is trusted.
    switch (node.type) {
      case "ConstantNode": {
        const value = (node as unknown as { value: unknown }).value;
        if (typeof value !== "number" || !Number.isFinite(value))
          return problem(
            `only numbers may appear as constants; ${JSON.stringify(String(value))} is not one`,
            word(String(value)),
          );
        break;
      }
      case "SymbolNode": {
        const name = (node as unknown as { name: string }).name;
        if (has(FORMULA_FUNCTIONS, name))
          return problem(`${name} is a function: call it as ${name}(…)`, word(name));
        if (!references.includes(name)) references.push(name);
        break;
      }
      case "ParenthesisNode":
        stack.push((node as unknown as { content: MathNode }).content);
        break;
      case "OperatorNode": {
        const op = node as unknown as { fn: string; op: string; implicit: boolean; args: MathNode[] };
        if (!has(OPERATORS, op.fn))
          return problem(
            `the operator ${op.op} is not allowed; use + - * / ^, parentheses and ${Object.keys(FORMULA_FUNCTIONS).join(", ")}`,
            new RegExp(escapeRegExp(op.op)),
          );
        if (op.implicit) return problem("write * between two factors (implicit multiplication)", null);
        for (let i = op.args.length - 1; i >= 0; i--) stack.push(op.args[i] as MathNode);
        break;
      }
      case "FunctionNode": {
        const fn = node as unknown as { fn: MathNode; args: MathNode[] };
        const name = fn.fn.type === "SymbolNode" ? (fn.fn as unknown as { name: string }).name : null;
        if (name === null || !has(FORMULA_FUNCTIONS, name))
          return problem(
            `unknown function${name !== null ? ` ${name}` : ""}; a formula may call ${Object.keys(FORMULA_FUNCTIONS).join(", ")}`,
            name !== null ? new RegExp(`${word(name).source}\\s*\\(`) : /\(/,
          );
        const arity = FORMULA_FUNCTIONS[name] as { min: number; max: number };
        if (fn.args.length < arity.min || fn.args.length > arity.max)
          return problem(
            `${name} takes ${arity.min === arity.max ? arity.min : `${arity.min} to ${arity.max}`} argument(s), not ${fn.args.length}`,
            word(name),
          );
        for (let i = fn.args.length - 1; i >= 0; i--) stack.push(fn.args[i] as MathNode);
        break;
      }
      case "AssignmentNode":
      case "FunctionAssignmentNode":
        return problem("a formula cannot assign or define anything; write an expression", /=/);
      default:
        return problem(
          `${node.type.replace(/Node$/, "").toLowerCase()} expressions are not allowed; use numbers, metric keys, + - * / ^, parentheses and ${Object.keys(FORMULA_FUNCTIONS).join(", ")}`,
          null,
        );
    }
  }
  if (references.length === 0)
    return {
      problem: { message: "a formula must read at least one metric key", position: null },
      references,
    };
  return { problem: null, references };
}

/**
 * Parses and checks a formula: `{ formula }` when every part is allowed, or `{ problem }` naming the
 * first fault and, when known, the character it is at (`1 +` → "Unexpected end of expression" at 4).
 */
export function parseFormula(
  text: string,
): { formula: ParsedFormula; problem: null } | { formula: null; problem: FormulaProblem } {
  if (text.trim() === "")
    return { formula: null, problem: { message: "the formula is empty", position: null } };
  let node: MathNode;
  try {
    node = parseExpression(text);
  } catch (err) {
    const e = err as { message?: unknown; char?: unknown };
    const message =
      typeof e.message === "string" ? e.message.replace(/\s*\(char \d+\)$/, "") : "syntax error";
    // mathjs counts characters from 0 in some messages and 1 in others; report the 1-based one.
    const char = typeof e.char === "number" ? Math.max(1, Math.min(e.char, text.length)) : null;
    return { formula: null, problem: { message: `syntax error: ${message}`, position: char } };
  }
  const { problem, references } = inspect(text, node);
  if (problem) return { formula: null, problem };
  return { formula: { text, references, node }, problem: null };
}

/** A problem as one message: "… (at character 7)". */
export const describeProblem = (p: FormulaProblem) =>
  p.position !== null ? `${p.message} (at character ${p.position})` : p.message;

/** The metric keys a formula reads; empty for a formula that does not parse. */
export function formulaReferences(text: string): string[] {
  return parseFormula(text).formula?.references ?? [];
}

export type FormulaValue = { value: number; reason: null } | { value: null; reason: string };

/** Walks the checked tree for divisions whose divisor is 0 with these values. */
function zeroDivisor(root: MathNode, scope: Map<string, number>): string | null {
  const stack: MathNode[] = [root];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const n = node as unknown as { fn?: unknown; args?: MathNode[]; content?: MathNode };
    if (node.type === "OperatorNode" && n.fn === "divide" && n.args?.[1]) {
      const divisor = n.args[1];
      if (divisor.compile().evaluate(scope) === 0) return divisor.toString();
    }
    if (n.args) stack.push(...n.args);
    if (n.content) stack.push(n.content);
  }
  return null;
}

/**
 * The formula's value with these inputs (metric key → value), or no value with the reason: an input
 * missing, a division by zero, or a result that is not a finite number (sqrt of a negative, overflow).
 * Deterministic: the same formula and values always answer the same.
 */
export function evaluateFormula(formula: ParsedFormula, values: ReadonlyMap<string, number>): FormulaValue {
  const scope = new Map<string, number>();
  const missing: string[] = [];
  for (const key of formula.references) {
    const v = values.get(key);
    if (v === undefined || !Number.isFinite(v)) missing.push(key);
    else scope.set(key, v);
  }
  if (missing.length > 0) return { value: null, reason: `no value for ${missing.join(", ")}` };
  try {
    const divisor = zeroDivisor(formula.node, scope);
    if (divisor !== null) return { value: null, reason: `division by zero: ${divisor} is 0` };
    const result: unknown = formula.node.compile().evaluate(scope);
    if (typeof result !== "number" || !Number.isFinite(result))
      return { value: null, reason: `the result is not a finite number (${String(result)})` };
    // -0 and 0 are the same figure.
    return { value: result === 0 ? 0 : result, reason: null };
  } catch (err) {
    return { value: null, reason: `cannot evaluate: ${err instanceof Error ? err.message : String(err)}` };
  }
}
