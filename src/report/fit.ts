/**
 * Fitting a report into a hard length limit (GitHub comments: 65,536 characters). Pure.
 *
 * The report is a list of blocks in order of importance. Blocks are kept whole while they fit;
 * the first one that does not fit is cut row by row when it is a list or table (its closing
 * part, e.g. `</details>`, is kept), and everything after it is dropped. A closing note says
 * what was left out and links to the full report. The result never exceeds the limit.
 */

export interface TextBlock {
  text: string;
}

/** A table or list: `head` + `rows` (one line each) + `tail`; cut between rows. */
export interface RowsBlock {
  head: string;
  rows: string[];
  tail: string;
  /** What a row is, for the note: "regressions", "benchmarks". */
  noun: string;
}

export type Block = TextBlock | RowsBlock;

export function fitBlocks(blocks: Block[], maxLength: number, fullReportUrl?: string): string {
  const whole = blocks.map(blockText).join('');
  if (whole.length <= maxLength) return whole;

  const reserve = note(Number.MAX_SAFE_INTEGER, 'x'.repeat(40), 999, fullReportUrl).length;
  const budget = Math.max(0, maxLength - reserve);
  let out = '';
  let index = 0;
  for (; index < blocks.length; index++) {
    const text = blockText(blocks[index]);
    if (out.length + text.length > budget) break;
    out += text;
  }
  let cutRows = 0;
  let cutNoun = '';
  const block = blocks[index];
  if (block && 'rows' in block) {
    const fixed = block.head.length + block.tail.length;
    let kept = 0;
    let rows = '';
    if (out.length + fixed <= budget) {
      for (const row of block.rows) {
        if (out.length + fixed + rows.length + row.length + 1 > budget) break;
        rows += `${row}\n`;
        kept++;
      }
    }
    if (kept > 0) {
      out += `${block.head}${rows}${block.tail}`;
      cutRows = block.rows.length - kept;
      cutNoun = block.noun;
      index++;
    }
  }
  const droppedSections = blocks.length - index;
  let result = out + note(droppedSections, cutNoun, cutRows, fullReportUrl);
  if (result.length > maxLength) result = result.slice(0, maxLength); // only for absurdly small limits
  return result;
}

function blockText(block: Block): string {
  return 'rows' in block
    ? `${block.head}${block.rows.map((r) => `${r}\n`).join('')}${block.tail}`
    : block.text;
}

function note(sections: number, noun: string, rows: number, url?: string): string {
  const parts: string[] = [];
  if (rows > 0) parts.push(`${rows} more ${noun}`);
  if (sections > 0) parts.push(`${sections} more section${sections === 1 ? '' : 's'}`);
  const where = url
    ? `[the full report](${safeUrl(url)})`
    : 'the full report (job summary and artifacts of this run)';
  return `\n---\n✂️ **Report truncated** to fit GitHub's size limit: ${parts.join(' and ') || 'the rest'} left out. See ${where}.\n`;
}

/** A URL that cannot break out of the markdown link. */
export function safeUrl(url: string): string {
  return url.replace(
    /[\s()<>[\]]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
}
