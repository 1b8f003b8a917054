import { describe, expect, it } from 'vitest';
import { candidateSpecifiers, transformTypeScript } from '../../src/runner/ts-loader.js';

describe('candidateSpecifiers', () => {
  it('maps JavaScript suffixes to their TypeScript sources', () => {
    expect(candidateSpecifiers('./lib/sum.js')).toEqual(['./lib/sum.ts', './lib/sum.tsx']);
    expect(candidateSpecifiers('./x.mjs')).toEqual(['./x.mts']);
    expect(candidateSpecifiers('../x.cjs')).toEqual(['../x.cts']);
  });

  it('tries files then folder indexes for extensionless specifiers', () => {
    expect(candidateSpecifiers('./util')).toEqual([
      './util.ts',
      './util.tsx',
      './util.mts',
      './util.js',
      './util.mjs',
      './util/index.ts',
      './util/index.tsx',
      './util/index.js',
    ]);
  });

  it('leaves explicit TypeScript specifiers alone', () => {
    expect(candidateSpecifiers('./x.ts')).toEqual([]);
  });
});

describe('transformTypeScript', () => {
  const source = [
    "import type { A } from './a.js';",
    "import { b, type C } from './b.js';",
    'interface Shape {',
    '  x: number;',
    '}',
    'enum Kind { One = 1 }',
    'export const f = (s: Shape, c?: C): number => s.x + b + Kind.One;',
    'export default f satisfies (s: Shape) => number;',
  ].join('\n');

  it('removes types, keeps ES module syntax and line numbers', () => {
    const code = transformTypeScript(source, '/p/x.ts', 'module');
    expect(code).not.toMatch(/interface|: number|import type|satisfies/);
    expect(code).toMatch(/import \{ b, } from '\.\/b\.js'|import \{ b \} from '\.\/b\.js'/);
    expect(code).toMatch(/export default/);
    const lines = code.split('\n');
    expect(lines.length).toBe(source.split('\n').length);
    expect(lines[6]).toMatch(/export const f = \(s, c\) =>/);
  });

  it('compiles .cts to CommonJS', () => {
    const code = transformTypeScript(
      "import { x } from './x';\nexport const y: number = x;",
      '/p/x.cts',
      'commonjs',
    );
    expect(code).toMatch(/require\(['"]\.\/x['"]\)/);
    expect(code).toMatch(/exports\.y = /);
  });

  it('gives ES-module TypeScript the CommonJS globals it uses, on the first line', () => {
    const code = transformTypeScript(
      "const here: string = __dirname;\nconst data = require('./data.json');\nexport { here, data };",
      '/p/x.ts',
      'module',
    );
    expect(code.split('\n')).toHaveLength(3);
    expect(code.split('\n')[0]).toMatch(
      /const require = .*const __dirname = .*const here = __dirname;/,
    );
  });

  it('does not redeclare globals the file declares itself', () => {
    const code = transformTypeScript(
      "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nrequire('x');",
      '/p/x.ts',
      'module',
    );
    expect(code.match(/const require/g)).toHaveLength(1);
  });
});
