/**
 * The terminal layout of the report's blocks (src/model/document.ts): headings, aligned table
 * columns, folded evidence shown indented under its summary; colour only when asked
 * (picocolors). Control characters from PR code are replaced so a benchmark name cannot move
 * the cursor or recolour the terminal. Pure.
 */
import pc from 'picocolors';
import type { Block, Chart, Inline, Span, Table } from '../../model/document.js';
import { displayWidth } from '../../text/width.js';

type Colors = ReturnType<typeof pc.createColors>;

/** Control characters (ANSI escapes, carriage returns) from untrusted text → '?'. */
export function sanitizeTerminal(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/** Terminal text: no-break spaces (which keep comment cells from wrapping) become spaces. */
function clean(text: string): string {
  return sanitizeTerminal(text).replace(/\u00a0/g, ' ');
}

function inlineText(inline: Inline, c: Colors, lineBreak = '\n'): string {
  const recur = (part: Inline) => inlineText(part, c, lineBreak);
  if (typeof inline === 'string') return clean(inline);
  if (Array.isArray(inline)) return inline.map(recur).join('');
  const span = inline as Span;
  if ('own' in span) return clean(span.own);
  if ('strong' in span) return c.bold(recur(span.strong));
  if ('em' in span) return c.italic(recur(span.em));
  if ('icon' in span) return clean(span.alt);
  if ('code' in span) return clean(span.code.replace(/\s+/g, ' ').trim());
  if ('link' in span) return `${recur(span.link)} ${c.dim(`<${clean(span.url)}>`)}`;
  if ('tone' in span) {
    const paint = { bad: c.red, good: c.green, warn: c.yellow, dim: c.dim }[span.tone];
    return paint(recur(span.text));
  }
  return lineBreak;
}

/** Width of laid-out text, colour codes left out. */
function visibleWidth(text: string): number {
  // eslint-disable-next-line no-control-regex
  return displayWidth(text.replace(/\u001b\[[0-9;]*m/g, ''));
}

function pad(text: string, width: number, align: 'left' | 'right' | 'center' = 'left'): string {
  const room = Math.max(0, width - visibleWidth(text));
  if (align === 'right') return `${' '.repeat(room)}${text}`;
  if (align === 'center') {
    const left = Math.floor(room / 2);
    return `${' '.repeat(left)}${text}${' '.repeat(room - left)}`;
  }
  return `${text}${' '.repeat(room)}`;
}

/** Columns as wide as their widest cell, two spaces apart; the header underlined by dashes. */
function tableLines(block: Table, c: Colors): string[] {
  const header = block.columns.map((col) => inlineText(col.header, c, ' '));
  const rows = block.rows.map((row) => row.map((cell) => inlineText(cell, c, ' ')));
  const widths = block.columns.map((_, i) =>
    Math.max(visibleWidth(header[i] ?? ''), ...rows.map((row) => visibleWidth(row[i] ?? ''))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => pad(cell, widths[i] ?? 0, block.columns[i]?.align))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return [c.dim(line(header)), c.dim(rule), ...rows.map(line)];
}

/** "• item"; an item led by an icon ("✗ GET /users 4.0× slower") has it as its bullet. */
function bulleted(item: Inline, c: Colors): string {
  const text = inlineText(item, c, ' ');
  const first = Array.isArray(item) ? (item as Inline[])[0] : item;
  const led =
    first !== undefined &&
    typeof first === 'object' &&
    !Array.isArray(first) &&
    ('icon' in first ||
      ('tone' in first &&
        typeof first.text === 'object' &&
        first.text !== null &&
        'icon' in first.text));
  return led ? text : `• ${text}`;
}

const SPARKS = '▁▂▃▄▅▆▇█';

/** "GET /users  ▁▁▂█  208 → 4070 ms (last 4 runs)": a trend fits one line. */
function chartLine(chart: Chart): string {
  const min = Math.min(...chart.y);
  const max = Math.max(...chart.y);
  const spark = chart.y
    .map((v) => SPARKS[max === min ? 0 : Math.round(((v - min) / (max - min)) * 7)])
    .join('');
  const first = chart.y[0];
  const last = chart.y[chart.y.length - 1];
  return `${clean(chart.title)}  ${spark}  ${first} → ${last} ${clean(chart.unit)} (${chart.y.length} runs, this one last)`;
}

function blockLines(block: Block, c: Colors): string[] {
  switch (block.type) {
    case 'heading': {
      const text = inlineText(block.text, c, ' ');
      return block.level === 4 ? ['', c.underline(text)] : ['', c.bold(text)];
    }
    case 'paragraph':
      return [...inlineText(block.text, c).split('\n'), ''];
    case 'list':
      return [...block.items.map((item) => `  ${bulleted(item, c)}`), ''];
    case 'table':
      return [...tableLines(block, c).map((l) => `  ${l}`), ''];
    case 'callout': {
      const paint = block.kind === 'warning' ? c.yellow : c.cyan;
      const mark = block.kind === 'warning' ? '! ' : '';
      const items = block.list?.items.map((item) => `  ${bulleted(item, c)}`) ?? [];
      return [paint(`${mark}${inlineText(block.text, c, ' ')}`), ...items, ''];
    }
    case 'details': {
      const inner = layoutLines(block.blocks, c);
      return [
        '',
        c.bold(inlineText(block.summary, c, ' ')),
        ...inner.map((l) => (l ? `  ${l}` : l)),
      ];
    }
    case 'chart':
      return [`  ${chartLine(block)}`, ''];
  }
}

function layoutLines(blocks: Block[], c: Colors): string[] {
  const lines = blocks.flatMap((block) => blockLines(block, c));
  // One blank line between blocks, none at the edges.
  const out: string[] = [];
  for (const line of lines) {
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
}

/** The blocks as terminal text, ending with a newline. */
export function layoutText(blocks: Block[], options: { color?: boolean } = {}): string {
  const c = pc.createColors(options.color ?? false);
  return `${layoutLines(blocks, c).join('\n')}\n`;
}
