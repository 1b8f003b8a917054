// Golden files, one per report shape: the demo's real comparison (examples/users-api, N+1 with
// CPU, query and memory evidence; written by `perfgate compare --format json` from the demo's
// runs, labelled main / pull-request), the mixed synthetic one, and a stored-mode one (history of
// 5, the run shift line), as markdown and as text.
// A change of layout shows as a diff here; regenerate with UPDATE_GOLDEN=1 and review the diff.
import { readFile, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Comparison } from '../../src/model/comparison.js';
import { renderMarkdown, renderText } from '../../src/report/index.js';
import { mixedComparison, storedComparison } from './fixtures.js';

const golden = (name: string) => new URL(`./golden/${name}`, import.meta.url);

async function matchesGolden(name: string, actual: string): Promise<void> {
  if (process.env.UPDATE_GOLDEN) await writeFile(golden(name), actual);
  expect(actual).toBe(await readFile(golden(name), 'utf8'));
}

async function demo(): Promise<Comparison> {
  const url = new URL('../fixtures/report/demo-comparison.json', import.meta.url);
  return JSON.parse(await readFile(url, 'utf8')) as Comparison;
}

const links = {
  'users.bench.ts > users-api > GET /users': [
    { label: 'flame graph', url: 'flamegraphs/GET_users.diff.svg' },
    { label: 'speedscope', url: 'flamegraphs/GET_users.speedscope.json' },
  ],
};

describe('report shapes (golden files)', () => {
  it('demo: markdown comment', async () => {
    await matchesGolden('demo.md', renderMarkdown(await demo(), { links }));
  });

  it('demo: terminal text', async () => {
    await matchesGolden('demo.txt', renderText(await demo()));
  });

  it('mixed: markdown comment', async () => {
    await matchesGolden('mixed.md', renderMarkdown(mixedComparison()));
  });

  it('mixed: terminal text', async () => {
    await matchesGolden('mixed.txt', renderText(mixedComparison()));
  });

  it('stored: markdown comment with the run shift line', async () => {
    await matchesGolden('stored.md', renderMarkdown(storedComparison()));
  });

  it('stored: terminal text with the run shift line', async () => {
    await matchesGolden('stored.txt', renderText(storedComparison()));
  });
});
