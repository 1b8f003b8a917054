/**
 * The action's inputs (action.yml), read from `INPUT_*` and checked: a bad value fails the step
 * with a message naming the input, before anything runs.
 */
import * as core from '@actions/core';
import { parseThreshold } from '../model/threshold.js';
import { CHECKS } from '../kinds/index.js';
import type { Check } from '../model/comparison.js';
import { InputError } from '../model/errors.js';

export const MODES = ['auto', 'baseline', 'compare', 'comment', 'merge'] as const;
export type Mode = (typeof MODES)[number];
/** What a pull request is compared with: the stored history, or its merge base run here. */
export const COMPARE_MODES = ['stored', 'against-base'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];
export const COMMENT_POLICIES = ['always', 'on-regression', 'never'] as const;
export type CommentPolicy = (typeof COMMENT_POLICIES)[number];

export interface Shard {
  index: number;
  total: number;
}

export interface ActionInputs {
  mode: Mode;
  workingDirectory: string;
  config?: string;
  /** Globs of bench files (override the config's `include`). */
  bench: string[];
  filter?: string;
  /** Fraction (0.1 = 10 %). */
  threshold?: number;
  failOn?: Check[];
  comment: CommentPolicy;
  token: string;
  baselineArtifact: string;
  baselineBranch?: string;
  history?: number;
  /** Child processes per bench file (config run.forks). */
  forks?: number;
  compare: CompareMode;
  /** Confirm before failing: forks of the confirmation, or false (off); undefined: config's. */
  confirm?: number | false;
  baselinePath?: string;
  retentionDays?: number;
  acceptLabel: string;
  node?: string;
  shard?: Shard;
  shardArtifact: string;
  reportArtifact: string;
  requireBaseline: boolean;
  title?: string;
  commentKey?: string;
  /** Foreign result files (globs) to gate instead of bench files (docs/ingest.md). */
  results: string[];
  /** Their format, a format name or `auto`. */
  format?: string;
  /** Shell command that writes them, run in working-directory first. */
  command?: string;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(
    `input \`${name}\`: expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
  );
}

function positiveInt(
  name: string,
  value: string,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  if (value === '') return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new InputError(
      `input \`${name}\`: expected a whole number from 1 to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

/** `2/8` → { index: 2, total: 8 }. */
export function parseShard(value: string): Shard | undefined {
  if (value === '') return undefined;
  const match = /^(\d+)\s*\/\s*(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const total = Number(match?.[2]);
  if (!match || total < 1 || index < 1 || index > total) {
    throw new InputError(
      `input \`shard\`: expected k/n with 1 ≤ k ≤ n (e.g. 2/8), got ${JSON.stringify(value)}`,
    );
  }
  return { index, total };
}

/** `time, queries` → ['time', 'queries']; `none` → [] (report only, never fail). */
export function parseFailOn(value: string): Check[] | undefined {
  if (value === '') return undefined;
  const items = value
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 1 && items[0] === 'none') return [];
  return items.map((item) => oneOf('fail-on', item, CHECKS));
}

/** `confirm`: `false` (off), a number of forks (2 to 100), or empty (the config's). */
export function parseConfirm(value: string): number | false | undefined {
  if (value === '') return undefined;
  if (value === 'false') return false;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 2 || n > 100) {
    throw new InputError(
      `input \`confirm\`: expected false or a number of forks from 2 to 100, got ${JSON.stringify(value)}`,
    );
  }
  return n;
}

function list(value: string): string[] {
  return value
    .split(/\n|,(?![^{]*})/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readInputs(get: (name: string) => string = (n) => core.getInput(n)): ActionInputs {
  const text = (name: string) => get(name).trim();
  const optional = (name: string) => text(name) || undefined;
  const threshold = text('threshold');
  const requireBaseline = text('require-baseline') || 'false';
  if (!['true', 'false'].includes(requireBaseline)) {
    throw new InputError(
      `input \`require-baseline\`: expected true or false, got ${JSON.stringify(requireBaseline)}`,
    );
  }
  return {
    mode: oneOf('mode', text('mode') || 'auto', MODES),
    workingDirectory: text('working-directory') || '.',
    config: optional('config'),
    bench: list(get('bench')),
    filter: optional('filter'),
    threshold: threshold ? parseThreshold(threshold, 'input `threshold`') : undefined,
    failOn: parseFailOn(text('fail-on')),
    comment: oneOf('comment', text('comment') || 'always', COMMENT_POLICIES),
    token: text('github-token'),
    baselineArtifact: text('baseline-artifact') || 'perfgate-baseline',
    baselineBranch: optional('baseline-branch'),
    history: positiveInt('history', text('history'), 100),
    forks: positiveInt('forks', text('forks'), 100),
    compare: oneOf('compare', text('compare') || 'stored', COMPARE_MODES),
    confirm: parseConfirm(text('confirm')),
    baselinePath: optional('baseline-path'),
    retentionDays: positiveInt('retention-days', text('retention-days'), 400),
    acceptLabel: text('accept-label') === 'none' ? '' : text('accept-label') || 'perf-accepted',
    node: optional('node'),
    shard: parseShard(text('shard')),
    shardArtifact: text('shard-artifact') || 'perfgate-shard',
    reportArtifact: text('report-artifact') || 'perfgate-report',
    requireBaseline: requireBaseline === 'true',
    title: optional('title'),
    commentKey: optional('comment-key'),
    results: list(get('results')),
    format: optional('format'),
    command: optional('command'),
  };
}
