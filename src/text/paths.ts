/**
 * Path normalisation: the same function must get the same `file` on a laptop and on CI, and
 * before and after a dependency bump or a rebuild. Pure.
 */
import { fileURLToPath } from 'node:url';

const NODE_MODULES = '/node_modules/';
const GO_MOD = '/pkg/mod/';
/** Hex content hash of ≥ 6 digits in a bundle name: `chunk-3f2a9c.js`, `main.3f2a9c1b.js`. */
const HEX_HASH =
  /([.-])(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,}(?=(\.[a-z]+)*\.(m?js|cjs|jsx?|tsx?|css|wasm)$)/;
/** Base64url hash of 8 characters (Vite/Rollup): `index-BxQ12abC.js`; needs a digit and both cases. */
const B64_HASH =
  /([.-])(?=[A-Za-z0-9_]*\d)(?=[A-Za-z0-9_]*[a-z])(?=[A-Za-z0-9_]*[A-Z])[A-Za-z0-9_]{8}(?=\.(m?js|cjs|css)$)/;

/**
 * esbuild's shared chunks: `chunk-EP7TJL7B.js` (8 characters of upper-case base32). Only with
 * the `chunk-` prefix: an upper-case word in a name of your own (`api-V2CLIENT.js`) is no hash.
 */
const ESBUILD_HASH = /^(chunk-)(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8}(?=\.(m?js|cjs)$)/;

/**
 * Normalises a profiler's file reference (URL or path) against the project root:
 * strips `file://`, query strings and the checkout prefix, reduces every dependency path to
 * `node_modules/<name>/…` (pnpm/yarn/npx version folders gone), and replaces bundler hashes by
 * `[hash]`. Node's own modules (`node:fs`) and unknown schemes are kept as they are.
 */
export function normalizePath(raw: string, projectRoot?: string): string {
  if (!raw) return '';
  let path = raw;
  if (path.startsWith('file://')) {
    try {
      path = fileURLToPath(path);
    } catch {
      path = decodeURIComponent(path.slice('file://'.length));
    }
  } else if (/^webpack:\/\//i.test(path)) {
    // webpack://app/./src/x.js: the path after the project name is already repo-relative.
    path = path.replace(/^webpack:\/\/[^/]*\/(\.\/)?/i, '');
  } else if (/^wasm:\/\//i.test(path)) {
    // WebAssembly modules (wasm://wasm/<hash>): no file to point at; the scheme says what it is.
    return path;
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
    // http://localhost:5173/src/x.ts → the path part (the same on every port and host).
    path = path.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  }
  path = path.replace(/[?#].*$/, '').replace(/\\/g, '/');
  const nm = path.lastIndexOf(NODE_MODULES);
  if (nm >= 0) return hashFree(`node_modules/${path.slice(nm + NODE_MODULES.length)}`);
  if (path.startsWith('node_modules/')) return hashFree(path);
  // Go module cache: …/pkg/mod/github.com/acme/csv@v1.4.2/reader.go → github.com/acme/csv/reader.go
  const goMod = path.lastIndexOf(GO_MOD);
  if (goMod >= 0) return path.slice(goMod + GO_MOD.length).replace(/@v[^/]+/, '');
  if (projectRoot) {
    const root = projectRoot.replace(/\\/g, '/').replace(/\/+$/, '');
    if (root && (path === root || path.startsWith(`${root}/`))) path = path.slice(root.length + 1);
  }
  return hashFree(path.replace(/^\.\//, ''));
}

function hashFree(path: string): string {
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash + 1);
  const base = path
    .slice(slash + 1)
    .replace(HEX_HASH, '$1[hash]')
    .replace(B64_HASH, '$1[hash]')
    .replace(ESBUILD_HASH, '$1[hash]');
  return dir + base;
}

/** `file:line`, or the file alone when the line is unknown (0). */
export function fileLine(file: string, line: number): string {
  return line > 0 ? `${file}:${line}` : file;
}
