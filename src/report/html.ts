/**
 * `perfgate compare … --format html`: the pull-request comment as a standalone page styled like
 * GitHub's, for a quick look in a browser before it is posted. The markdown is the comment
 * itself (markdownReport), turned into HTML by marked with GitHub-flavoured tables; the
 * comment's own text from PR code is already escaped there. Pure.
 */
import { Marked } from 'marked';

/** The parts of GitHub's comment style that change how a report reads (widths, tables, code). */
const GITHUB_LIKE_CSS = `
:root { color-scheme: light; }
body { margin: 0; background: #f6f8fa; }
.comment { box-sizing: border-box; max-width: 912px; margin: 24px auto; background: #fff;
  border: 1px solid #d1d9e0; border-radius: 6px; }
.comment-header { padding: 8px 16px; background: #f6f8fa; border-bottom: 1px solid #d1d9e0;
  border-radius: 6px 6px 0 0; color: #59636e; font: 14px/1.5 -apple-system, BlinkMacSystemFont,
  "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
.markdown-body { padding: 16px; color: #1f2328; font: 14px/1.5 -apple-system, BlinkMacSystemFont,
  "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; word-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0; }
.markdown-body h2, .markdown-body h3, .markdown-body h4 { margin: 24px 0 16px; font-weight: 600;
  line-height: 1.25; }
.markdown-body h2 { font-size: 1.5em; padding-bottom: .3em; border-bottom: 1px solid #d1d9e0b3; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body h4 { font-size: 1em; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body blockquote,
.markdown-body details { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body a { color: #0969da; text-decoration: none; }
.markdown-body code { padding: .2em .4em; font: 85%/1 ui-monospace, SFMono-Regular, "SF Mono",
  Menlo, Consolas, "Liberation Mono", monospace; background: #818b981f; border-radius: 6px; }
.markdown-body table { display: block; width: max-content; max-width: 100%; overflow: auto;
  border-spacing: 0; border-collapse: collapse; font-variant: tabular-nums; }
.markdown-body th, .markdown-body td { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body blockquote { padding: 0 1em; color: #59636e; border-left: .25em solid #d1d9e0; }
.markdown-body summary { cursor: pointer; }
.markdown-body details[open] > summary { margin-bottom: 8px; }
`;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"]/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c,
  );
}

/** A whole HTML page showing `markdown` as a GitHub comment by `author`. */
export function htmlPreview(markdown: string, options: { author?: string } = {}): string {
  const body = new Marked({ gfm: true, async: false }).parse(markdown) as string;
  const author = escapeHtml(options.author ?? 'perfgate');
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<title>perfgate comment preview</title>',
    `<style>${GITHUB_LIKE_CSS}</style></head>`,
    '<body><div class="comment">',
    `<div class="comment-header"><strong>${author}</strong> commented (preview)</div>`,
    `<div class="markdown-body">\n${body}</div>`,
    '</div></body></html>',
    '',
  ].join('\n');
}
