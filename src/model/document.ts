/**
 * The display-neutral report: what the comment and the terminal say, before it is laid out.
 * The report (src/report) and every kind's sections build these blocks; src/report/layout lays
 * them out as markdown (the pull-request comment) or as terminal text, as benchstat builds one
 * table and writes it as text or CSV. Types and small constructors only.
 *
 * Text is untrusted by default: a plain string is escaped by the markdown layout and sanitised
 * by the terminal layout, so a benchmark name or SQL from the pull request can never become
 * markup. perfgate's own wording that is markdown as written goes in `{ own }`.
 */

/** Inline content: text and marked-up pieces, nested freely. */
export type Inline = string | Span | readonly Inline[];

/** Colour in the terminal (none in markdown, where the words and marks carry it). */
export type Tone = 'bad' | 'good' | 'warn' | 'dim';

export type Span =
  /** perfgate's own wording, laid out verbatim (never text from the pull request). */
  | { own: string }
  | { strong: Inline }
  | { em: Inline }
  /** Code (SQL, an error message): one line, fenced so that nothing in it is markup. */
  | { code: string }
  | { link: Inline; url: string }
  | { tone: Tone; text: Inline }
  /** A picture in the comment (an emoji), a word or sign in the terminal. */
  | { icon: string; alt: string }
  /** A line break inside a paragraph or a cell. */
  | { br: true };

export type Align = 'left' | 'right' | 'center';

export interface Column {
  header: Inline;
  align?: Align;
}

/** Blocks that can be cut between their rows when the comment must fit a size limit. */
export interface Table {
  type: 'table';
  columns: Column[];
  rows: Inline[][];
  /** What a row is, for the truncation note: "changed benchmarks". */
  noun: string;
}

export interface List {
  type: 'list';
  items: Inline[];
  noun: string;
}

export interface Heading {
  type: 'heading';
  /** 2 = the report's title, 3 = a section, 4 = a part of a section (a file, a benchmark). */
  level: 2 | 3 | 4;
  text: Inline;
}

export interface Paragraph {
  type: 'paragraph';
  text: Inline;
}

/** A GitHub alert ("> [!WARNING]"); in the terminal, a coloured paragraph. */
export interface Callout {
  type: 'callout';
  kind: 'note' | 'warning';
  text: Inline;
  /** Items listed under the text (accepted reasons). */
  list?: List;
}

/** Evidence a reader opens on demand: folded in the comment, indented in the terminal. */
export interface Details {
  type: 'details';
  summary: Inline;
  blocks: Block[];
}

/** A line chart of one series (the trend of a benchmark over the last main runs). */
export interface Chart {
  type: 'chart';
  title: string;
  unit: string;
  x: string[];
  y: number[];
}

export type Block = Table | List | Heading | Paragraph | Callout | Details | Chart;

export const own = (text: string): Span => ({ own: text });
export const strong = (text: Inline): Span => ({ strong: text });
export const em = (text: Inline): Span => ({ em: text });
export const code = (text: string): Span => ({ code: text });
export const link = (text: Inline, url: string): Span => ({ link: text, url });
export const tone = (t: Tone, text: Inline): Span => ({ tone: t, text });
export const br: Span = { br: true };
export const icon = (picture: string, alt: string): Span => ({ icon: picture, alt });

export const heading = (level: Heading['level'], text: Inline): Heading => ({
  type: 'heading',
  level,
  text,
});
export const paragraph = (text: Inline): Paragraph => ({ type: 'paragraph', text });
export const list = (items: Inline[], noun: string): List => ({ type: 'list', items, noun });
export const details = (summary: Inline, blocks: Block[]): Details => ({
  type: 'details',
  summary,
  blocks,
});

/** A table from `[header, align]` pairs ('l', 'r', 'c' as markdown-table spells them). */
export function table(
  columns: ReadonlyArray<readonly [Inline, ('l' | 'r' | 'c')?]>,
  rows: Inline[][],
  noun: string,
): Table {
  const aligns = { l: 'left', r: 'right', c: 'center' } as const;
  return {
    type: 'table',
    columns: columns.map(([header, a]) => ({ header, ...(a ? { align: aligns[a] } : {}) })),
    rows,
    noun,
  };
}

/** Plain text of inline content (what a terminal without colour shows, less sanitising). */
export function plainText(inline: Inline): string {
  if (typeof inline === 'string') return inline;
  if (Array.isArray(inline)) return inline.map(plainText).join('');
  const span = inline as Span;
  if ('own' in span) return span.own;
  if ('strong' in span) return plainText(span.strong);
  if ('em' in span) return plainText(span.em);
  if ('code' in span) return span.code;
  if ('link' in span) return plainText(span.link);
  if ('tone' in span) return plainText(span.text);
  if ('icon' in span) return span.alt;
  return '\n';
}
