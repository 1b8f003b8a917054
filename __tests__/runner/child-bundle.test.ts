// dist/child.js is what every bench child loads, and dist/child-passes.js what a child that runs
// a kind's prepare or pass loads besides: together they hold the kinds' passes and nothing of
// compare or the reports (the child/parent split of the kind adapters, docs/architecture.md);
// dist/child.js alone holds no kind code (a timed fork loads only it).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** The source modules esbuild bundled, from its `// src/…` markers (one per module). */
function bundledModules(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\/\/ (src\/\S+\.ts)$/gm)].map((m) => m[1]!);
}

/** Compare and report code: the core folders, the kinds' parent halves and renderers. */
const PARENT_ONLY =
  /^src\/(compare|report|engine|github|cli|store|ingest)\/|^src\/kinds\/index\.ts$|^src\/(profile|queries|memory)\/(kind|compare|render|diff[^/]*|flamegraph[^/]*|speedscope-export|calls|noise)\.ts$|\/formats\/read\.ts$/;

/** Kind code: the registry's child half, the kinds' passes and what they capture with. */
const KIND_CODE = /^src\/kinds\/|^src\/(profile|queries|memory)\/|^src\/config\//;

describe('dist/child.js and dist/child-passes.js (built by the global setup)', () => {
  const core = bundledModules('dist/child.js');
  const passes = bundledModules('dist/child-passes.js');

  it('child.js bundles the runner and no kind code; child-passes.js the kinds passes', () => {
    expect(core).toContain('src/runner/child.ts');
    expect(core).toContain('src/runner/timing.ts');
    expect(core.filter((m) => KIND_CODE.test(m))).toEqual([]);
    expect(passes).toContain('src/runner/child-passes.ts');
    expect(passes).toContain('src/kinds/passes.ts');
    for (const kind of ['profile', 'queries', 'memory']) {
      expect(passes).toContain(`src/${kind}/pass.ts`);
      expect(passes).toContain(`src/${kind}/capture.ts`);
    }
    expect(passes).toContain('src/profile/exact/pass.ts');
  });

  it('bundles no compare or report module', () => {
    expect([...core, ...passes].filter((m) => PARENT_ONLY.test(m))).toEqual([]);
  });

  it('the parent bundle does hold them (the pattern matches real modules)', () => {
    const parent = bundledModules('dist/cli.js');
    expect(parent).toContain('src/compare/index.ts');
    expect(parent).toContain('src/report/markdown.ts');
    expect(parent).toContain('src/profile/kind.ts');
    expect(parent.filter((m) => PARENT_ONLY.test(m)).length).toBeGreaterThan(10);
  });
});
