// The layering rules of eslint.config.js catch a deliberate violation (and pass the real tree).
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers/action-runner.js';

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
