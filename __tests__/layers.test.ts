// The layering rules of eslint.config.js catch a deliberate violation (and pass the real tree).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/action-runner.js';
import { findCycle, folderGraph, type FolderGraph } from './helpers/folder-graph.js';

const eslint = new ESLint({ cwd: ROOT });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${filePath}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('lint-enforced layering', () => {
  it('a leaf importing the project is an error', async () => {
    const messages = await restricted(
      'src/stats/violation.ts',
      "import { compare } from '../compare/index.js';\nexport const x = compare;\n",
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/leaf/);
  });

  it('the core importing an edge is an error', async () => {
    for (const [file, from] of [
      ['src/compare/violation.ts', '../github/action.js'],
      ['src/report/violation.ts', '../runner/index.js'],
      ['src/model/violation.ts', '../store/local.js'],
      ['src/compare/violation.ts', '../engine/index.js'],
    ] as const) {
      const messages = await restricted(
        file,
        `import * as edge from '${from}';\nexport { edge };\n`,
      );
      expect(messages, `${file} → ${from}`).toHaveLength(1);
      expect(messages[0]).toMatch(/core/);
    }
  });

  it('imports along the layering are allowed', async () => {
    expect(
      await restricted(
        'src/compare/fine.ts',
        "import { median } from '../stats/median.js';\nexport const m = median;\n",
      ),
    ).toEqual([]);
    expect(
      await restricted(
        'src/stats/fine.ts',
        "import { normalSf } from './normal.js';\nexport const n = normalSf;\n",
      ),
    ).toEqual([]);
  });
});

describe('no import loop between the folders of src/', () => {
  it('the folder import graph of the sources is acyclic', () => {
    const graph = folderGraph(join(ROOT, 'src'));
    // The graph is real: the engine uses compare, compare the kinds, the kinds the model.
    expect(graph.get('engine')).toContain('compare');
    expect(graph.get('compare')).toContain('kinds');
    expect(graph.get('kinds')).toContain('profile');
    expect(graph.get('profile')).toContain('model');
    const cycle = findCycle(graph);
    expect(cycle, cycle ? `import loop: ${cycle.join(' → ')}` : '').toBeUndefined();
  });

  it('a loop is found and named', () => {
    const graph: FolderGraph = new Map([
      ['config', new Set(['kinds'])],
      ['kinds', new Set(['memory'])],
      ['memory', new Set(['config', 'model'])],
      ['model', new Set<string>()],
    ]);
    expect(findCycle(graph)).toEqual(['config', 'kinds', 'memory', 'config']);
    graph.get('memory')!.delete('config');
    expect(findCycle(graph)).toBeUndefined();
  });

  it('reads static, type-only and dynamic imports of a tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perfgate-graph-'));
    try {
      mkdirSync(join(dir, 'a'));
      mkdirSync(join(dir, 'b'));
      writeFileSync(
        join(dir, 'a', 'x.ts'),
        "import type { Y } from '../b/y.js';\nexport type X = Y;\n",
      );
      writeFileSync(
        join(dir, 'b', 'y.ts'),
        "export type Y = 1;\nexport const z = () => import('../a/x.js');\n",
      );
      const graph = folderGraph(dir);
      expect(graph.get('a')).toEqual(new Set(['b']));
      expect(findCycle(graph)).toEqual(['a', 'b', 'a']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
