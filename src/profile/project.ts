/**
 * Which frames are the project's own code. A reviewer acts on the project's functions, so time
 * spent in dependencies (node_modules, the language runtime, the standard library, native code)
 * is charged to the project frame that called it, the way memory sites already are. Pure.
 */
import type { Frame } from './tree.js';

/** Go module cache paths are normalised to `host.tld/owner/repo/…` (see normalize.ts). */
const GO_MODULE = /^[a-z0-9-]+(\.[a-z0-9-]+)+\//i;
/** Python's installed packages and the interpreter's own modules. */
const PYTHON_PACKAGES = /(^|\/)(site|dist)-packages\//;

/**
 * True for a repo-relative source file of the project: not a dependency (`node_modules/…`, a Go
 * module path, Python site-packages), not outside the project (absolute paths remain absolute
 * after normalisation), not a URL or `node:` built-in, not native code (no file).
 */
export function isProjectFile(file: string): boolean {
  if (file === '' || file.startsWith('/') || /^[A-Za-z]:\//.test(file)) return false;
  if (file.startsWith('node_modules/') || file.startsWith('<') || file.startsWith('['))
    return false;
  if (/^[a-z][a-z0-9+.-]*:/i.test(file)) return false;
  return !GO_MODULE.test(file) && !PYTHON_PACKAGES.test(file);
}

export function isProjectFrame(frame: Frame): boolean {
  return isProjectFile(frame.file);
}

/** V8's pseudo-frames: time of the VM itself, not of any JavaScript function. */
const V8_PSEUDO_FRAMES = new Set(['(garbage collector)', '(program)', '(idle)', '(root)']);

/**
 * True for a frame of the runtime's own work: V8's `(garbage collector)`, `(program)`, `(idle)`;
 * Go's `runtime.*` (the allocator, the garbage collector's workers, the scheduler); kernel frames
 * (perf's `[kernel.kallsyms]`, stackcollapse-perf's `_[k]` suffix) and `[unknown]`. Its own
 * samples are those no project frame called (the rest are charged to the project caller, see
 * analysis.ts): they vary between runs for the runtime's own reasons (when the collector runs,
 * scheduling), so they neither say what a typical function did nor are a change to report.
 */
export function isRuntimeFrame(frame: Frame): boolean {
  const { name, file } = frame;
  if (file === '' && V8_PSEUDO_FRAMES.has(name)) return true;
  if (file.startsWith('[kernel') || name.endsWith('_[k]')) return true;
  if (name === '[unknown]' || name.startsWith('[unknown] (')) return true;
  // Go: `runtime.mallocgc`, `runtime/internal/atomic.Xadd` (a project's own packages are named
  // by their module path, `example.com/app/runtime.X`), in the toolchain's .go/.s files.
  return /^runtime(\/[\w/]+)?\./.test(name) && (file === '' || /\.(go|s)$/.test(file));
}

/**
 * The package a dependency frame belongs to, for folding its internals into one frame:
 * `node_modules/@scope/name/…` → `@scope/name`, a Go module path → its first three segments,
 * `node:fs` → `node:fs`, site-packages/name → name, native code → `(native)`.
 */
export function packageOf(frame: Frame): string {
  const { file } = frame;
  if (file === '') return frame.name.startsWith('(') ? frame.name : '(native)';
  const nm = /^node_modules\/((@[^/]+\/)?[^/]+)/.exec(file);
  if (nm) return nm[1]!;
  if (/^node:/.test(file)) return file.split('/')[0]!;
  const py = /(?:site|dist)-packages\/([^/]+)/.exec(file);
  if (py) return py[1]!.replace(/\.py$/, '');
  if (GO_MODULE.test(file)) return file.split('/').slice(0, 3).join('/');
  // Go's standard library and runtime: the package is the function name's prefix.
  const goStd = /^([a-z0-9_/]+)\.[^/]+$/i.exec(frame.name);
  if (goStd && file.includes('/src/')) return goStd[1]!;
  // Go's standard library in assembly (`indexbytebody` in …/go-1.19/src/internal/bytealg/…).
  const goSrc = /\/go[^/]*\/src\/(.+)\/[^/]+\.s$/.exec(file);
  if (goSrc) return goSrc[1]!;
  return file;
}

/**
 * True for frames with no package of their own: native code and WebAssembly (`wasm-function[…]`,
 * `wasm://…`). They are the internals of the dependency that called them.
 */
function hasNoPackage(frame: Frame): boolean {
  return isWasm(frame) || (frame.file === '' && !frame.name.startsWith('('));
}

function isWasm(frame: Frame): boolean {
  return frame.file.startsWith('wasm://') || frame.name.startsWith('wasm-function[');
}

/**
 * The package a dependency frame is folded into, given the package of the dependency frame that
 * called it (undefined when the caller is project code or the root): native and WebAssembly
 * frames belong to their calling package; others to their own (see packageOf). Undefined for a
 * project frame.
 */
export function foldedPackage(frame: Frame, callerPackage: string | undefined): string | undefined {
  if (isProjectFrame(frame)) return undefined;
  if (callerPackage !== undefined && hasNoPackage(frame)) return callerPackage;
  if (isWasm(frame)) return '(WebAssembly)';
  return packageOf(frame);
}
