import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE_NAMES } from '../../src/config/load.js';
import { closestNames, editDistance } from '../../src/cli/unknown-command.js';
import { perfgate, ROOT } from './helpers.js';

const COMMANDS = ['run', 'compare', 'baseline', 'profile', 'queries', 'memory'];

describe('closestNames', () => {
  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('comapre', 'compare')).toBe(1);
    expect(editDistance('', 'run')).toBe(3);
    expect(editDistance('memory', 'memory')).toBe(0);
  });

  it('suggests typos and prefixes, and nothing for an unrelated word', () => {
    expect(closestNames('comapre', COMMANDS)).toEqual(['compare']);
    expect(closestNames('bsaeline', COMMANDS)).toEqual(['baseline']);
    expect(closestNames('querys', COMMANDS)).toEqual(['queries']);
    expect(closestNames('prof', COMMANDS)).toEqual(['profile']);
    expect(closestNames('frobnicate', COMMANDS)).toEqual([]);
    expect(closestNames('x', COMMANDS)).toEqual([]);
  });
});

describe('perfgate with an unknown command', () => {
  it('names the command and suggests the closest one (exit 2, nothing run)', async () => {
    const result = await perfgate(['comapre', 'a.json', 'b.json'], ROOT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'comapre'. Did you mean compare?");
    expect(result.stdout).toBe('');
  });

  it('lists the commands when nothing is close', async () => {
    const result = await perfgate(['frobnicate'], ROOT);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "unknown command 'frobnicate'. Commands: run, compare, baseline, profile, queries, memory, ingest, import-history.",
    );
  });
});

describe('config file names', () => {
  const extensions = CONFIG_FILE_NAMES.map((name) => name.slice('perfgate.config.'.length));

  it('--help lists every name the loader looks for', async () => {
    const help = (await perfgate(['--help'], ROOT)).stdout.replace(/\s+/g, ' ');
    expect(help).toContain(`perfgate.config.{${extensions.join(',')}}`);
  });

  it('docs/configuration.md lists them too', async () => {
    const docs = await readFile(join(ROOT, 'docs', 'configuration.md'), 'utf8');
    const table = docs.slice(0, docs.indexOf('Two `perfgate.config.*` files'));
    for (const extension of extensions) expect(table).toMatch(new RegExp(`\\.${extension}\``));
  });
});
