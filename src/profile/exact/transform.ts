/**
 * Source transform that counts the calls of every function a project module defines and times
 * them from call to settled promise (async-inclusive), for the exact-calls pass. Pure.
 *
 * Each function keeps its own node (declaration, expression, arrow, method, getter, constructor):
 * only its body is wrapped, so `this`, `arguments`, `new.target`, `super`, hoisting, names,
 * `length` and exports' live bindings are what they were. Text is only inserted, never on a new
 * line, so every line number stays (stack traces and profiles point at the same lines):
 *
 *   function f(a) { BODY }
 *   → function f(a) { let __perfgate_t = <on ? enter(id) : -1>, __perfgate_v; try { BODY }
 *                     finally { if (__perfgate_t !== -1) exit(id); } }
 *
 * and each `return X` of that function hands X over: a native promise ends the call when it
 * settles, anything else at once. Each `await X` of an async function tells the recorder when the
 * function suspends and when it resumes, for the callers round (exact/recorder.ts: the project
 * function running is carried across awaits):
 *
 *   await X → (__perfgate_w = await (__perfgate_w = (X), t > 0 ? away(w, t) : w),
 *              t > 0 ? back(w, id) : w)
 *
 * (t > 0 only in the callers round: in every other pass an await costs two comparisons). A
 * rejected await resumes in a `catch` or `finally` block: those tell the recorder too. A
 * `for await (x of Y)` loop suspends on every step: Y is handed to the recorder (which tells
 * when each step suspends), and the body and the code after the loop tell it they resumed (the
 * loop, with its labels, is wrapped in a block for that). Switched off (every pass but this one), a call costs one load
 * and one comparison. Generators are counted, not timed: their body runs on their consumer's
 * demand, over its time, and an abandoned generator never finishes. So is a function whose body
 * cannot become a block (a function declared in it also declared by `var`, or twice).
 *
 * A CommonJS module is parsed as a script: its top level (Node's module wrapper) is left as it
 * is, so `this`, `arguments`, `require`, `module` and `exports` there stay Node's; its
 * functions are named as it exports them (`module.exports`, `exports.find` → `find`,
 * `Repo.prototype.find` → `Repo.find`). The helpers the TypeScript compiler emits at a module's
 * top (`var __awaiter = (this && this.__awaiter) || …`) are not the project's code and are left out.
 */
import { parse, type Node } from 'acorn';

/** The global the child's recorder (exact/recorder.ts) is installed under. */
export const RECORDER_KEY = 'perfgate.exactCalls';

const R = '__perfgate_r';
const B = '__perfgate_b';
const T = '__perfgate_t';
const V = '__perfgate_v';
const W = '__perfgate_w';

export interface InstrumentedFunction {
  /** As a reviewer reads it: `getUsers`, `UserRepo.find`, `(anonymous in getUsers)`. */
  name: string;
  /** 1-based line of the function's name (or its start when it has none). */
  line: number;
}

export interface Instrumented {
  code: string;
  functions: InstrumentedFunction[];
}

type AnyNode = Node & Record<string, unknown>;
type FunctionNode = AnyNode & {
  type: 'FunctionDeclaration' | 'FunctionExpression' | 'ArrowFunctionExpression';
  body: AnyNode;
  generator: boolean;
  expression?: boolean;
  id?: { name: string } | null;
};

interface Insertion {
  pos: number;
  text: string;
  /** Opening text goes outermost first; closing text innermost first. */
  open: boolean;
  depth: number;
}

function isFunction(node: AnyNode): node is FunctionNode {
  return (
    node.type === 'FunctionDeclaration' ||
    node.type === 'FunctionExpression' ||
    node.type === 'ArrowFunctionExpression'
  );
}

function keyName(key: AnyNode | undefined, computed: unknown): string | undefined {
  if (!key || computed) return undefined;
  if (key.type === 'Identifier' || key.type === 'PrivateIdentifier')
    return (key.type === 'PrivateIdentifier' ? '#' : '') + String(key.name);
  if (key.type === 'Literal') return String(key.value);
  return undefined;
}

/** `module.exports`, as CommonJS exports a module's one value. */
function isModuleExports(node: AnyNode): boolean {
  return (
    node.type === 'MemberExpression' &&
    !node.computed &&
    (node.object as AnyNode).type === 'Identifier' &&
    (node.object as AnyNode).name === 'module' &&
    keyName(node.property as AnyNode, false) === 'exports'
  );
}

/** `class X {}`, `const X = class {}`, `exports.X = class {}`. */
function className(node: AnyNode | undefined, parent?: AnyNode): string | undefined {
  if (!node) return undefined;
  const id = node.id as { name: string } | null | undefined;
  if (id) return id.name;
  if (parent?.type === 'VariableDeclarator' && (parent.id as AnyNode).type === 'Identifier')
    return String((parent.id as AnyNode).name);
  if (parent?.type === 'AssignmentExpression') {
    const left = parent.left as AnyNode;
    if (left.type === 'Identifier') return String(left.name);
    if (left.type === 'MemberExpression' && !isModuleExports(left))
      return keyName(left.property as AnyNode, left.computed);
  }
  return undefined;
}

/**
 * The name of a function assigned to `left`: `exports.find` → `find`, `module.exports` →
 * `module.exports`, `Repo.prototype.find` → `Repo.find` (as a class method reads).
 */
function assignedName(left: AnyNode): string | undefined {
  if (left.type === 'Identifier') return String(left.name);
  if (left.type !== 'MemberExpression') return undefined;
  if (isModuleExports(left)) return 'module.exports';
  const key = keyName(left.property as AnyNode, left.computed);
  if (!key) return undefined;
  const object = left.object as AnyNode;
  if (
    object.type === 'MemberExpression' &&
    !object.computed &&
    keyName(object.property as AnyNode, false) === 'prototype'
  ) {
    const owner = object.object as AnyNode;
    const ownerName =
      owner.type === 'Identifier'
        ? String(owner.name)
        : owner.type === 'MemberExpression'
          ? keyName(owner.property as AnyNode, owner.computed)
          : undefined;
    if (ownerName) return `${ownerName}.${key}`;
  }
  return key;
}

/** `Object.defineProperty(target, "name", { get… })`: the property's name (TypeScript's re-exports). */
function definedPropertyName(descriptor: AnyNode | undefined, call: AnyNode | undefined) {
  if (descriptor?.type !== 'ObjectExpression' || call?.type !== 'CallExpression') return undefined;
  const args = call.arguments as AnyNode[];
  const callee = call.callee as AnyNode;
  if (args[2] !== descriptor || callee.type !== 'MemberExpression' || callee.computed)
    return undefined;
  const object = callee.object as AnyNode;
  if (object.type !== 'Identifier' || object.name !== 'Object') return undefined;
  if (keyName(callee.property as AnyNode, false) !== 'defineProperty') return undefined;
  const name = args[1];
  return name?.type === 'Literal' && typeof name.value === 'string' ? name.value : undefined;
}

const unparenthesized = (node: AnyNode | null | undefined): AnyNode | undefined => {
  let out = node ?? undefined;
  while (out?.type === 'ParenthesizedExpression') out = out.expression as AnyNode;
  return out;
};

/**
 * `var __awaiter = (this && this.__awaiter) || function …` at a module's top: a helper the
 * TypeScript compiler emits (`__awaiter`, `__importDefault`, `__createBinding`, …), not the
 * project's code; its functions are left as they are.
 */
function isCompilerHelper(declarator: AnyNode): boolean {
  const id = declarator.id as AnyNode;
  if (id.type !== 'Identifier' || !String(id.name).startsWith('__')) return false;
  const init = unparenthesized(declarator.init as AnyNode | null);
  if (init?.type !== 'LogicalExpression' || init.operator !== '||') return false;
  const guard = unparenthesized(init.left as AnyNode);
  return (
    guard?.type === 'LogicalExpression' &&
    guard.operator === '&&' &&
    unparenthesized(guard.left as AnyNode)?.type === 'ThisExpression'
  );
}

/** Children of a node, in source order. */
function children(node: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(node)) {
    if (key === 'loc' || key === 'type' || key === 'start' || key === 'end') continue;
    const value = node[key];
    if (Array.isArray(value)) {
      for (const item of value) if (item && typeof item.type === 'string') out.push(item);
    } else if (value && typeof (value as AnyNode).type === 'string') out.push(value as AnyNode);
  }
  return out;
}

/**
 * Where the body's directive prologue ends ("use strict" must stay the first statement), and the
 * `;` that ends its last directive when it has none (`'use strict'` then code on the same line
 * would not parse).
 */
function afterDirectives(
  statements: AnyNode[],
  fallback: number,
  code: string,
): { pos: number; end: string } {
  let pos = fallback;
  for (const statement of statements) {
    if (statement.type !== 'ExpressionStatement' || typeof statement.directive !== 'string') break;
    pos = statement.end;
  }
  return { pos, end: pos !== fallback && code[pos - 1] !== ';' ? ';' : '' };
}

/** Names a binding pattern declares. */
function boundNames(pattern: AnyNode | null | undefined, out: Set<string>): void {
  if (!pattern) return;
  if (pattern.type === 'Identifier') out.add(String(pattern.name));
  else if (pattern.type === 'ObjectPattern')
    for (const p of pattern.properties as AnyNode[])
      boundNames((p.type === 'RestElement' ? p.argument : p.value) as AnyNode, out);
  else if (pattern.type === 'ArrayPattern')
    for (const e of pattern.elements as Array<AnyNode | null>) boundNames(e, out);
  else if (pattern.type === 'RestElement') boundNames(pattern.argument as AnyNode, out);
  else if (pattern.type === 'AssignmentPattern') boundNames(pattern.left as AnyNode, out);
}

/** The names `var` declares in a function body, not in the functions (or static blocks) inside it. */
function varNames(node: AnyNode, out: Set<string>): Set<string> {
  if (node.type === 'VariableDeclaration' && node.kind === 'var')
    for (const d of node.declarations as AnyNode[]) boundNames(d.id as AnyNode, out);
  for (const child of children(node))
    if (!isFunction(child) && child.type !== 'StaticBlock') varNames(child, out);
  return out;
}

/**
 * True when a function's body cannot be wrapped in a `try` block: a function declared at the
 * top of a body is scoped to the function, in a block to the block, where one also declared
 * by `var`, or declared twice, is a syntax error.
 */
function blockUnsafe(body: AnyNode): boolean {
  const declared = (body.body as AnyNode[])
    .filter((s) => s.type === 'FunctionDeclaration')
    .map((s) => String((s.id as AnyNode).name));
  if (declared.length === 0) return false;
  if (new Set(declared).size < declared.length) return true;
  const vars = varNames(body, new Set());
  return declared.some((name) => vars.has(name));
}

function lineOf(pos: number, lineStarts: readonly number[]): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/**
 * The instrumented module, or undefined when it defines no function or does not parse (then it
 * runs as it was: the pass never breaks a project module).
 */
export function instrumentModule(
  code: string,
  file: string,
  sourceType: 'module' | 'script',
): Instrumented | undefined {
  // Instrumented already (by the other hook): never twice.
  if (code.includes(`${R} = globalThis[Symbol.for(`)) return undefined;
  let program: AnyNode;
  try {
    program = parse(code, {
      ecmaVersion: 'latest',
      sourceType,
      preserveParens: true,
      allowHashBang: true,
      allowReturnOutsideFunction: sourceType === 'script',
      allowAwaitOutsideFunction: sourceType === 'module',
    }) as unknown as AnyNode;
  } catch {
    return undefined;
  }
  const lineStarts = [0];
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const functions: InstrumentedFunction[] = [];
  const insertions: Insertion[] = [];
  const idOf = (k: number) => `${B} + ${k}`;
  const on = `${R} !== undefined && ${R}.on`;

  const nameOf = (fn: FunctionNode, ancestors: readonly AnyNode[]) => {
    const at = (i: number) => ancestors[ancestors.length - i];
    // A method's FunctionExpression sits in MethodDefinition, in ClassBody, in the class.
    const [parent, great] = [at(1), at(3)];
    if (fn.id) return { name: fn.id.name, at: (fn.id as unknown as AnyNode).start };
    if (!parent) return { name: '(anonymous)', at: fn.start };
    if (parent.type === 'Property') {
      // `Object.defineProperty(exports, "x", { get: function () { … } })`: the getter of x.
      const key = keyName(parent.key as AnyNode, parent.computed);
      const property = definedPropertyName(at(2), at(3));
      if (property !== undefined && (key === 'get' || key === 'set'))
        return { name: `${key} ${property}`, at: (parent.key as AnyNode).start };
    }
    if (parent.type === 'MethodDefinition' || parent.type === 'Property') {
      const key = keyName(parent.key as AnyNode, parent.computed) ?? '(computed)';
      const kind = parent.kind === 'get' || parent.kind === 'set' ? `${String(parent.kind)} ` : '';
      const owner = parent.type === 'MethodDefinition' ? className(great, at(4)) : undefined;
      return {
        name: `${kind}${owner ? `${owner}.` : ''}${key}`,
        at: (parent.key as AnyNode).start,
      };
    }
    if (parent.type === 'PropertyDefinition') {
      const key = keyName(parent.key as AnyNode, parent.computed) ?? '(computed)';
      const owner = className(great, at(4));
      return { name: owner ? `${owner}.${key}` : key, at: (parent.key as AnyNode).start };
    }
    if (parent.type === 'VariableDeclarator' && (parent.id as AnyNode).type === 'Identifier')
      return { name: String((parent.id as AnyNode).name), at: (parent.id as AnyNode).start };
    if (parent.type === 'AssignmentExpression') {
      const left = parent.left as AnyNode;
      const name = assignedName(left);
      const pos = left.type === 'MemberExpression' ? (left.property as AnyNode).start : left.start;
      if (name) return { name, at: pos };
    }
    if (parent.type === 'ExportDefaultDeclaration') return { name: 'default', at: fn.start };
    return { name: '(anonymous)', at: fn.start };
  };

  /**
   * Walks with the innermost instrumented function (for its `return`s), the innermost function
   * whose `await`s tell the recorder (a timed one: it has a `__perfgate_t`), and the ancestors.
   */
  const walk = (
    node: AnyNode,
    ancestors: AnyNode[],
    current: number | undefined,
    enclosing: number | undefined,
    awaiter: number | undefined,
    depth: number,
  ) => {
    let inner = current;
    let scope = enclosing;
    let awaits = awaiter;
    if (node.type === 'VariableDeclarator' && ancestors.length === 2 && isCompilerHelper(node))
      return;
    if (isFunction(node)) {
      const named = nameOf(node, ancestors);
      // `rows.map((row) => …)` in getUsers: "(anonymous in getUsers)", told apart from others.
      const outer = enclosing === undefined ? undefined : functions[enclosing]!.name;
      const name =
        named.name === '(anonymous)' && outer !== undefined
          ? `(anonymous in ${outer})`
          : named.name;
      const k = functions.length;
      scope = k;
      functions.push({ name, line: lineOf(named.at, lineStarts) });
      const id = idOf(k);
      // Counted, not timed: a generator's body runs on its consumer's demand; a body that
      // cannot become a block (see blockUnsafe) is left as it is.
      const w = node.async === true ? `, ${W}` : '';
      if (node.generator || (!node.expression && blockUnsafe(node.body))) {
        const start = afterDirectives(node.body.body as AnyNode[], node.body.start + 1, code);
        insertions.push({
          pos: start.pos,
          text: `${start.end} if (${on}) ${R}.count(${id});`,
          open: true,
          depth,
        });
        inner = undefined;
        awaits = undefined;
      } else if (node.expression) {
        const body = node.body;
        insertions.push({
          pos: body.start,
          text: `{ let ${T} = ${on} ? ${R}.enter(${id}) : -1, ${V}${w}; try { return (${V} = (`,
          open: true,
          depth,
        });
        insertions.push({
          pos: body.end,
          text: `), ${T} === -1 ? ${V} : ${R}.hand(${V}, ${id}, ${T}, ${T} = -1)); } finally { if (${T} !== -1) ${R}.exit(${id}, ${T}); } }`,
          open: false,
          depth,
        });
        inner = undefined;
        awaits = node.async === true ? k : undefined;
      } else {
        const body = node.body;
        const start = afterDirectives(body.body as AnyNode[], body.start + 1, code);
        const opening = `${start.end} let ${T} = ${on} ? ${R}.enter(${id}) : -1, ${V}${w}; try {`;
        const closing = `} finally { if (${T} !== -1) ${R}.exit(${id}, ${T}); } `;
        // An empty body (`function noop() {}`): one insertion, or the sort would close first.
        if (start.pos >= body.end - 1)
          insertions.push({ pos: start.pos, text: opening + closing, open: true, depth });
        else {
          insertions.push({ pos: start.pos, text: opening, open: true, depth });
          insertions.push({ pos: body.end - 1, text: closing, open: false, depth });
        }
        inner = k;
        awaits = node.async === true ? k : undefined;
      }
    } else if (
      (node.type === 'CatchClause' || node.type === 'TryStatement') &&
      awaiter !== undefined
    ) {
      // An awaited promise that rejects resumes here, not after its await: resumed all the same.
      const block = (node.type === 'CatchClause' ? node.body : node.finalizer) as AnyNode | null;
      if (block)
        insertions.push({
          pos: block.start + 1,
          text: ` if (${T} > 0) ${R}.back(0, ${idOf(awaiter)});`,
          open: true,
          depth,
        });
    } else if (node.type === 'ForOfStatement' && node.await === true && awaiter !== undefined) {
      const right = node.right as AnyNode;
      const body = node.body as AnyNode;
      const back = `if (${T} > 0) ${R}.back(0, ${idOf(awaiter)});`;
      insertions.push({ pos: right.start, text: `(${W} = (`, open: true, depth: depth + 0.5 });
      insertions.push({
        pos: right.end,
        text: `), ${T} > 0 ? ${R}.loop(${W}, ${T}) : ${W})`,
        open: false,
        depth: depth + 0.5,
      });
      insertions.push({ pos: body.start, text: `{ ${back} `, open: true, depth: depth + 0.5 });
      insertions.push({ pos: body.end, text: ` }`, open: false, depth: depth + 0.5 });
      // The block goes around the loop's labels: `continue label` must name the loop itself.
      let labels = 0;
      while (ancestors[ancestors.length - 1 - labels]?.type === 'LabeledStatement') labels += 1;
      const outer = labels > 0 ? ancestors[ancestors.length - labels]! : node;
      insertions.push({ pos: outer.start, text: '{ ', open: true, depth: depth - labels - 0.5 });
      insertions.push({
        pos: node.end,
        text: ` ${back} }`,
        open: false,
        depth: depth - labels - 0.5,
      });
    } else if (node.type === 'AwaitExpression' && awaiter !== undefined) {
      const argument = node.argument as AnyNode;
      const id = idOf(awaiter);
      insertions.push({ pos: node.start, text: `(${W} = `, open: true, depth });
      insertions.push({ pos: argument.start, text: `(${W} = (`, open: true, depth: depth + 0.5 });
      insertions.push({
        pos: argument.end,
        text: `), ${T} > 0 ? ${R}.away(${W}, ${T}) : ${W}), ${T} > 0 ? ${R}.back(${W}, ${id}) : ${W})`,
        open: false,
        depth: depth + 0.5,
      });
    } else if (node.type === 'ReturnStatement' && node.argument && current !== undefined) {
      const argument = node.argument as AnyNode;
      const id = idOf(current);
      insertions.push({ pos: argument.start, text: `(${V} = (`, open: true, depth });
      insertions.push({
        pos: argument.end,
        text: `), ${T} === -1 ? ${V} : ${R}.hand(${V}, ${id}, ${T}, ${T} = -1))`,
        open: false,
        depth,
      });
    }
    const next = [...ancestors, node];
    for (const child of children(node)) walk(child, next, inner, scope, awaits, depth + 1);
  };
  walk(program, [], undefined, undefined, undefined, 0);
  if (functions.length === 0) return undefined;

  // The module's registration, on the first line (after a hashbang and the directive prologue):
  // `var`, so a hoisted function called before it ran (an import cycle) sees undefined, not a TDZ.
  const table = JSON.stringify(functions.map((f) => [f.name, f.line]));
  const header = `var ${R} = globalThis[Symbol.for(${JSON.stringify(RECORDER_KEY)})], ${B} = ${R} === undefined ? 0 : ${R}.module(${JSON.stringify(file)}, ${table});`;
  const hashbang = code.startsWith('#!') ? code.indexOf('\n') : -1;
  const programStart = afterDirectives(program.body as AnyNode[], -1, code);
  let headerPos: number;
  if (programStart.pos >= 0) headerPos = programStart.pos;
  else headerPos = hashbang >= 0 ? hashbang + 1 : 0;
  insertions.push({
    pos: headerPos,
    text: `${programStart.end} ${header} `,
    open: true,
    depth: -1,
  });

  insertions.sort(
    (a, b) =>
      a.pos - b.pos ||
      Number(a.open) - Number(b.open) ||
      (a.open ? a.depth - b.depth : b.depth - a.depth),
  );
  let out = '';
  let last = 0;
  for (const insertion of insertions) {
    out += code.slice(last, insertion.pos) + insertion.text;
    last = insertion.pos;
  }
  return { code: out + code.slice(last), functions };
}
