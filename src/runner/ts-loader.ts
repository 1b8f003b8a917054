// Module hooks (registered with `module.register()` in the bench child) that let Node import
// TypeScript bench files with no build step: `.ts/.mts/.cts` are transformed with sucrase (types
// removed, line numbers kept, so stack traces and profiles point at the right lines), and
// relative imports resolve the way TypeScript projects write them (`./x.js` → `./x.ts`,
// extensionless `./x` → `./x.ts`, `./dir` → `./dir/index.ts`).
import { readFile } from 'node:fs/promises';
import type { LoadHook, ResolveHook } from 'node:module';
import { fileURLToPath } from 'node:url';
import { transform } from 'sucrase';

const TS_FILE = /\.(?:ts|mts|cts)$/;
const TS_PARENT = /\.(?:ts|mts|cts|tsx)$/;
/** Query parameter marking a JSON file imported from TypeScript without import attributes. */
const JSON_MARK = 'perfgate-json';

function isRelative(specifier: string): boolean {
  return (
    specifier.startsWith('./') ||
    specifier.startsWith('../') ||
    specifier === '.' ||
    specifier === '..'
  );
}

/** Files to try, in TypeScript's order, for a relative specifier from a TypeScript module. */
export function candidateSpecifiers(specifier: string): string[] {
  const js = /\.(js|mjs|cjs|jsx)$/.exec(specifier);
  if (js) {
    const stem = specifier.slice(0, -js[0].length);
    const ts = { js: ['.ts', '.tsx'], jsx: ['.tsx'], mjs: ['.mts'], cjs: ['.cts'] }[js[1]] ?? [];
    return ts.map((ext) => stem + ext);
  }
  if (/\.[cm]?tsx?$/.test(specifier)) return [];
  const base = specifier.replace(/\/$/, '');
  return [
    `${base}.ts`,
    `${base}.tsx`,
    `${base}.mts`,
    `${base}.js`,
    `${base}.mjs`,
    `${base}/index.ts`,
    `${base}/index.tsx`,
    `${base}/index.js`,
  ];
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'ERR_MODULE_NOT_FOUND' || code === 'ERR_UNSUPPORTED_DIR_IMPORT';
}

export const resolve: ResolveHook = async (specifier, context, nextResolve) => {
  const parent = context.parentURL;
  if (!isRelative(specifier) || !parent?.startsWith('file:') || parent.includes('/node_modules/')) {
    return nextResolve(specifier, context);
  }
  const fromTypeScript = TS_PARENT.test(new URL(parent).pathname);
  // TypeScript (resolveJsonModule) imports JSON without `with { type: 'json' }`, which Node
  // refuses: mark the URL so that load() serves the JSON as a module's default export.
  const attributes = (context as { importAttributes?: Record<string, string> }).importAttributes;
  if (fromTypeScript && specifier.endsWith('.json') && attributes?.type === undefined) {
    const resolved = await nextResolve(specifier, context);
    const url = new URL(resolved.url);
    url.searchParams.set(JSON_MARK, '');
    return { ...resolved, url: url.href, format: 'module' };
  }
  // `./x.js` written in a .ts file means `./x.ts` when that exists (TypeScript's own rule).
  if (fromTypeScript && /\.(?:js|mjs|cjs|jsx)$/.test(specifier)) {
    for (const candidate of candidateSpecifiers(specifier)) {
      try {
        return await nextResolve(candidate, context);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }
    return nextResolve(specifier, context);
  }
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    for (const candidate of candidateSpecifiers(specifier)) {
      try {
        return await nextResolve(candidate, context);
      } catch (inner) {
        if (!isNotFound(inner)) throw inner;
      }
    }
    throw error;
  }
};

/**
 * CommonJS globals for a .ts file run as an ES module, added on the first line (line numbers
 * stay the same) only when the file uses them and does not declare them itself.
 */
function commonJsShim(code: string): string {
  const shims: string[] = [];
  // `const require = …`, `function __dirname…`, `import require from…`, `import { x as require }`.
  const declares = (name: string) =>
    new RegExp(
      `\\b(?:const|let|var|function|class)\\s+${name}\\b|\\bimport\\s+${name}\\b|\\bimport\\s*\\{[^}]*\\b${name}\\s*[,}]`,
    ).test(code);
  if (/\brequire\s*[.(]/.test(code) && !declares('require')) {
    shims.push(
      "import { createRequire as __perfgateCreateRequire } from 'node:module';",
      'const require = __perfgateCreateRequire(import.meta.url);',
    );
  }
  const usesFilename = /\b__filename\b/.test(code) && !declares('__filename');
  const usesDirname = /\b__dirname\b/.test(code) && !declares('__dirname');
  if (usesFilename || usesDirname) {
    shims.push("import { fileURLToPath as __perfgateFileURLToPath } from 'node:url';");
    if (usesFilename) shims.push('const __filename = __perfgateFileURLToPath(import.meta.url);');
    if (usesDirname)
      shims.push("const __dirname = __perfgateFileURLToPath(new URL('.', import.meta.url));");
  }
  return shims.length > 0 ? `${shims.join(' ')} ${code}` : code;
}

/** TypeScript source → JavaScript of the given module format, same line numbers. */
export function transformTypeScript(
  source: string,
  filePath: string,
  format: 'module' | 'commonjs',
): string {
  const { code } = transform(source, {
    transforms: format === 'commonjs' ? ['typescript', 'imports'] : ['typescript'],
    disableESTransforms: true,
    preserveDynamicImport: true,
    filePath,
  });
  return format === 'module' ? commonJsShim(code) : code;
}

export const load: LoadHook = async (url, context, nextLoad) => {
  if (url.startsWith('file:') && new URL(url).searchParams.has(JSON_MARK)) {
    const file = new URL(url);
    file.search = '';
    const text = await readFile(fileURLToPath(file), 'utf8');
    JSON.parse(text); // a syntax error names the JSON, not generated code
    return { format: 'module', source: `export default ${text};`, shortCircuit: true };
  }
  if (!url.startsWith('file:') || !TS_FILE.test(new URL(url).pathname)) {
    return nextLoad(url, context);
  }
  const path = fileURLToPath(url);
  // .cts is CommonJS; .ts and .mts run as ES modules (bench files use `export default`).
  const format = path.endsWith('.cts') ? 'commonjs' : 'module';
  const source = await readFile(path, 'utf8');
  return {
    format,
    source: transformTypeScript(source, path, format),
    shortCircuit: true,
  };
};
