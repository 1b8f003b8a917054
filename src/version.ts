/** Set by the build from package.json (esbuild `define`); the fallback serves unbundled tests. */
declare const __PERFGATE_VERSION__: string | undefined;
export const VERSION: string =
  typeof __PERFGATE_VERSION__ === 'string' ? __PERFGATE_VERSION__ : '0.0.0-dev';
