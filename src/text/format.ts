/** Formatting shared by every renderer (markdown, terminal). Pure. */
import { neutralize } from './neutralize.js';

/** Escapes text from PR code (benchmark names, SQL) for a markdown table cell or inline text. */
export function escapeMarkdown(text: string): string {
  // Control and bidi characters are shown as escapes: they would reorder or hide what reviewers read.
  return neutralize(
    text
      .replace(/\\/g, '\\\\')
      .replace(/[`*_{}[\]<>()#+!|~]/g, (c) => `\\${c}`)
      .replace(/@/g, '@\u200b') // no accidental @mentions
      .replace(/\r?\n/g, ' '),
  );
}

/**
 * Inline code that survives backticks inside the text (SQL with `quoted` identifiers). Pipes are
 * escaped for table cells (GitHub drops the backslash there); pass `inTable: false` for prose,
 * where the backslash would show.
 */
export function inlineCode(text: string, options: { inTable?: boolean } = {}): string {
  const oneLine = neutralize(text.replace(/\s+/g, ' ').trim());
  let longestRun = 0;
  for (const run of oneLine.match(/`+/g) ?? []) longestRun = Math.max(longestRun, run.length);
  const fence = '`'.repeat(longestRun + 1);
  const pad = oneLine.startsWith('`') || oneLine.endsWith('`') ? ' ' : '';
  const body = options.inTable === false ? oneLine : oneLine.replace(/\|/g, '\\|');
  return `${fence}${pad}${body}${pad}${fence}`;
}

const TIME_UNITS: Array<[string, number]> = [
  ['s', 1e9],
  ['ms', 1e6],
  ['µs', 1e3],
  ['ns', 1],
];

/** 1234567 (ns) → "1.23 ms". Three significant digits. */
export function formatDuration(ns: number): string {
  if (!Number.isFinite(ns)) return String(ns);
  const abs = Math.abs(ns);
  for (const [unit, scale] of TIME_UNITS) {
    if (abs >= scale || unit === 'ns') return `${significant(ns / scale)} ${unit}`;
  }
  return `${ns} ns`;
}

const BYTE_UNITS: Array<[string, number]> = [
  ['GiB', 2 ** 30],
  ['MiB', 2 ** 20],
  ['KiB', 2 ** 10],
  ['B', 1],
];

/** 1536 → "1.50 KiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const abs = Math.abs(bytes);
  for (const [unit, scale] of BYTE_UNITS) {
    if (abs >= scale || unit === 'B') {
      return unit === 'B' ? `${Math.round(bytes)} B` : `${significant(bytes / scale)} ${unit}`;
    }
  }
  return `${bytes} B`;
}

/** A value in a benchmark's unit, humanised: ns → duration, ops/s → "1.2M ops/s", B → bytes. */
export function formatValue(value: number, unit: string): string {
  if (unit === 'ns') return formatDuration(value);
  if (unit === 'us' || unit === 'µs') return formatDuration(value * 1e3);
  if (unit === 'ms') return formatDuration(value * 1e6);
  if (unit === 's') return formatDuration(value * 1e9);
  if (unit === 'B' || unit === 'bytes') return formatBytes(value);
  return `${formatCount(value)} ${unit}`;
}

/** 1234567 → "1.23M"; small numbers keep up to 3 significant digits. */
export function formatCount(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 1e9) return `${significant(value / 1e9)}G`;
  if (abs >= 1e6) return `${significant(value / 1e6)}M`;
  if (abs >= 1e4) return `${significant(value / 1e3)}k`;
  return Number.isInteger(value) ? String(value) : significant(value);
}

/** 0.1234 → "+12.3%", -0.05 → "-5.0%". */
export function formatPercent(fraction: number, digits = 1): string {
  if (!Number.isFinite(fraction)) return fraction > 0 ? '+∞%' : String(fraction);
  const pct = fraction * 100;
  const sign = pct > 0 ? '+' : pct < 0 ? '−' : '±';
  return `${sign}${Math.abs(pct).toFixed(digits)}%`;
}

function significant(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return value.toFixed(digits);
}

/**
 * A relative change, in one style everywhere: a ratio beyond +100 % ("4.0×": head is 4 times
 * base), else a percentage with one decimal ("+12.3%", "−5.0%", "±0.0%"); null → "n/a".
 */
export function formatChange(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return 'n/a';
  if (fraction >= 1) return Number.isFinite(fraction) ? `${(1 + fraction).toFixed(1)}×` : '∞×';
  return formatPercent(fraction, 1);
}

const TIME_LIKE = new Set(['ns', 'us', 'µs', 'ms', 's', 'ops/s', 'hz']);

/**
 * A change in words, worse or better for the benchmark's direction: "4.0× slower",
 * "53.0% slower", "2.1× faster" (a ratio from ×2 either way), "12.0% higher" for units that
 * are not times.
 */
export function formatChangeWord(
  change: number,
  direction: 'smaller' | 'bigger',
  unit: string,
): string {
  const ratio = 1 + change;
  const up = change > 0;
  const worse = direction === 'smaller' ? up : !up;
  const word = TIME_LIKE.has(unit.toLowerCase())
    ? worse
      ? 'slower'
      : 'faster'
    : up
      ? 'higher'
      : 'lower';
  if (ratio >= 2) return `${ratio.toFixed(1)}× ${word}`;
  if (ratio > 0 && ratio <= 0.5) return `${(1 / ratio).toFixed(1)}× ${word}`;
  return `${Math.abs(change * 100).toFixed(1)}% ${word}`;
}

/**
 * "227 → 900 ms" (the unit once when both sides share it), "850 µs → 1.20 ms" otherwise.
 * Values and units are joined by non-breaking spaces, so a table cell never wraps inside one.
 */
export function formatArrow(base: number, head: number, unit: string): string {
  const [b, h] = [formatValue(base, unit), formatValue(head, unit)];
  const [bValue, bUnit] = splitUnit(b);
  const [, hUnit] = splitUnit(h);
  return nonBreaking(bUnit !== '' && bUnit === hUnit ? `${bValue} → ${h}` : `${b} → ${h}`);
}

/** "+3.20 ms", "−512 B": a signed difference in a unit. */
export function formatDelta(delta: number, unit: string): string {
  const sign = delta > 0 ? '+' : delta < 0 ? '−' : '±';
  return nonBreaking(`${sign}${formatValue(Math.abs(delta), unit)}`);
}

/** Spaces inside a value ("1.23 ms", "1 → 501") become non-breaking. */
export function nonBreaking(text: string): string {
  return text.replace(/ /g, '\u00a0');
}

function splitUnit(text: string): [string, string] {
  const at = text.lastIndexOf(' ');
  return at < 0 ? [text, ''] : [text.slice(0, at), text.slice(at + 1)];
}

/** A run-to-run noise band (a fraction either way) as a percentage: 0.06 → "±6.0%". */
export function formatBand(fraction: number): string {
  return `±${Math.abs(fraction * 100).toFixed(1)}%`;
}

/** A confidence interval of a change: "+160%…+190%"; null → "n/a". */
export function formatInterval(ci: readonly [number, number] | null | undefined): string {
  if (!ci) return 'n/a';
  return `${formatChange(ci[0])}…${formatChange(ci[1])}`;
}

/** p-values: "<0.001", "0.012", "0.43"; null → "n/a". */
export function formatPValue(p: number | null | undefined): string {
  if (p === null || p === undefined || Number.isNaN(p)) return 'n/a';
  if (p < 0.001) return '<0.001';
  if (p < 0.1) return p.toFixed(3);
  return p.toFixed(2);
}

/** Keeps enormous names from PR code to a readable length (before escaping). */
export function clip(text: string, max = 200): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1; // do not split a surrogate pair
  return `${text.slice(0, end)}…`;
}
