/**
 * The markdown layout of the report's blocks (src/model/document.ts): GitHub-flavoured markdown
 * for the pull-request comment. Every plain string is escaped here (escapeMarkdown, inline code
 * fences), so nothing from the pull request becomes markup; tables are written by
 * markdown-table. Blocks become the size-fitting blocks of fit.ts, so that a comment over the
 * limit is cut between table rows and list items. Pure.
 */
import { markdownTable } from 'markdown-table';
import type { Block, Chart, Inline, Span } from '../../model/document.js';
import { escapeMarkdown, inlineCode } from '../../text/format.js';
import { fitBlocks, safeUrl, type Block as FitBlock } from '../fit.js';

interface Context {
  /** Inside a table cell: pipes in code are escaped, line breaks are `<br>`. */
  inTable: boolean;
}

export function inlineMarkdown(inline: Inline, context: Context = { inTable: false }): string {
  if (typeof inline === 'string') return escapeMarkdown(inline);
  if (Array.isArray(inline)) return inline.map((part) => inlineMarkdown(part, context)).join('');
  const span = inline as Span;
  if ('own' in span) return span.own;
  if ('strong' in span) return `**${inlineMarkdown(span.strong, context)}**`;
  if ('em' in span) return `_${inlineMarkdown(span.em, context)}_`;
  if ('code' in span) return inlineCode(span.code, { inTable: context.inTable });
  if ('link' in span) return `[${inlineMarkdown(span.link, context)}](${safeUrl(span.url)})`;
  if ('tone' in span) return inlineMarkdown(span.text, context);
  if ('icon' in span) return span.icon;
  return context.inTable ? '<br>' : '<br>\n';
}

const ALIGN = { left: 'l', right: 'r', center: 'c' } as const;

/** One block as text or as rows (head + rows + tail) that fit.ts may cut between. */
function fitBlock(block: Block): FitBlock {
  switch (block.type) {
    case 'heading':
      return { text: `${'#'.repeat(block.level)} ${inlineMarkdown(block.text)}\n\n` };
    case 'paragraph':
      return { text: `${inlineMarkdown(block.text)}\n\n` };
    case 'list':
      return {
        head: '',
        rows: block.items.map((item) => `- ${inlineMarkdown(item)}`),
        tail: '\n',
        noun: block.noun,
      };
    case 'table': {
      const cell = (inline: Inline) => inlineMarkdown(inline, { inTable: true });
      const lines = markdownTable(
        [block.columns.map((c) => cell(c.header)), ...block.rows.map((row) => row.map(cell))],
        {
          align: block.columns.map((c) => (c.align ? ALIGN[c.align] : '')),
          alignDelimiters: false,
        },
      ).split('\n');
      return {
        head: `${lines[0]}\n${lines[1]}\n`,
        rows: lines.slice(2),
        tail: '\n',
        noun: block.noun,
      };
    }
    case 'callout': {
      const head = `> [!${block.kind.toUpperCase()}]\n> ${inlineMarkdown(block.text)}\n`;
      if (!block.list) return { text: `${head}\n` };
      return {
        head,
        rows: block.list.items.map((item) => `> - ${inlineMarkdown(item)}`),
        tail: '\n',
        noun: block.list.noun,
      };
    }
    case 'details':
      return wrap(
        `<details><summary>${inlineMarkdown(block.summary)}</summary>\n\n`,
        block.blocks,
        '</details>\n\n',
      );
    case 'chart':
      return { text: `${mermaid(block)}\n` };
  }
}

/**
 * `open` + blocks + `close` as one fitting block: cut in the rows of its last table or list
 * (the blocks before it kept whole, the closing part always kept), so folded evidence stays
 * well-formed when the comment is truncated.
 */
function wrap(open: string, blocks: Block[], close: string): FitBlock {
  const fitted = joinHeadings(blocks);
  const last = fitted.findLastIndex((b) => 'rows' in b);
  if (last < 0) return { text: `${open}${fitted.map(fitText).join('')}${close}` };
  const rowed = fitted[last] as Extract<FitBlock, { rows: string[] }>;
  return {
    head: `${open}${fitted.slice(0, last).map(fitText).join('')}${rowed.head}`,
    rows: rowed.rows,
    tail: `${rowed.tail}${fitted
      .slice(last + 1)
      .map(fitText)
      .join('')}${close}`,
    noun: rowed.noun,
  };
}

function fitText(block: FitBlock): string {
  return 'rows' in block
    ? `${block.head}${block.rows.map((r) => `${r}\n`).join('')}${block.tail}`
    : block.text;
}

/** A heading is never left alone at the end of a truncated comment: it joins the next block. */
function joinHeadings(blocks: Block[]): FitBlock[] {
  const out: FitBlock[] = [];
  let pending = '';
  for (const original of blocks) {
    const block = fitBlock(original);
    if (original.type === 'heading') {
      pending += fitText(block);
      continue;
    }
    if (pending) {
      out.push(
        'rows' in block ? { ...block, head: pending + block.head } : { text: pending + block.text },
      );
      pending = '';
    } else out.push(block);
  }
  if (pending) out.push({ text: pending });
  return out;
}

/** Mermaid strings are double-quoted; quotes, backticks and newlines from PR code are dropped. */
function mermaidLabel(text: string): string {
  return text.replace(/["`\r\n\\]/g, ' ').slice(0, 80);
}

/** A fenced `xychart-beta` (GitHub renders it in comments). */
function mermaid(chart: Chart): string {
  return [
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidLabel(chart.title)}"`,
    `  x-axis [${chart.x.map((x) => `"${mermaidLabel(x)}"`).join(', ')}]`,
    `  y-axis "${mermaidLabel(chart.unit)}"`,
    `  line [${chart.y.join(', ')}]`,
    '```',
    '',
  ].join('\n');
}

export interface MarkdownLayoutOptions {
  /** Hard limit on the length (GitHub comments: 65,536); the rest is cut with a note. */
  maxLength?: number;
  fullReportUrl?: string;
}

/** The blocks as one markdown document, within `maxLength` when given. */
export function layoutMarkdown(blocks: Block[], options: MarkdownLayoutOptions = {}): string {
  return fitBlocks(
    joinHeadings(blocks),
    options.maxLength ?? Number.MAX_SAFE_INTEGER,
    options.fullReportUrl,
  );
}
