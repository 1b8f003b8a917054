// dist/child.js is what every bench child loads: it must hold the kinds' passes and nothing of
// compare or the reports (the child/parent split of the kind adapters, docs/architecture.md).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The source modules esbuild bundled, from its `// src/…` markers (one per module). */
function bundledModules(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((m) => m[1]!);
}

/** Compare and report code: the core folders, the kinds' parent halves and renderers. */
const PARENT_ONLY =
  /^src\/(compare|report|engine|github|cli|store|ingest)\/|^src\/kinds\/index\.ts$|^src\/(profile|queries|memory)\/(kind|compare|render|diff[^/]*|flamegraph[^/]*|speedscope-export|calls|noise)\.ts$|\/formats\/read\.ts$/;

describe('dist/child.js (built by the global setup)', () => {
  const modules = bundledModules('dist/child.js');

  it('bundles the child and the three kinds passes', () => {
    expect(modules).toContain('src/runner/child.ts');
    expect(modules).toContain('src/kinds/passes.ts');
    for (const kind of ['profile', 'queries', 'memory']) {
      expect(modules).toContain(`src/${kind}/pass.ts`);
      expect(modules).toContain(`src/${kind}/capture.ts`);
    }
  });

  it('bundles no compare or report module', () => {
    expect(modules.filter((m) => PARENT_ONLY.test(m))).toEqual([]);
  });

  it('the parent bundle does hold them (the pattern matches real modules)', () => {
    const parent = bundledModules('dist/cli.js');
    expect(parent).toContain('src/compare/index.ts');
    expect(parent).toContain('src/report/markdown.ts');
    expect(parent).toContain('src/profile/kind.ts');
    expect(parent.filter((m) => PARENT_ONLY.test(m)).length).toBeGreaterThan(10);
  });
});
