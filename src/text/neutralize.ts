// Text from pull-request code (benchmark names, bench output, error messages) made harmless for
// the channel it is shown in. A leaf: imports nothing, so every renderer can use it.

/**
 * Characters that act instead of showing: C0 controls (newline, ESC of terminal sequences, BEL),
 * DEL, C1 controls (8-bit CSI/OSC), and the bidi controls that reorder what a reader sees
 * (U+061C, U+200E/F, U+202A–U+202E, U+2066–U+2069: "Trojan Source").
 */
// eslint-disable-next-line no-control-regex
const ACTIVE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(c: string): string {
  return NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/**
 * One line of plain text for a terminal or a log: every control and bidi character shown as an
 * escape (`\n`, `\u001b`, `\u202e`), so it can neither move the cursor, set the clipboard (OSC
 * 52), clear the screen nor start a new line.
 */
export function neutralize(text: string): string {
  return text.replace(ACTIVE, visible);
}

/**
 * A line for the GitHub Actions log: neutralized, and a line that would start a workflow command
 * (`::error::…`, after leading blanks, as the runner reads it) gets its first colon escaped.
 */
export function neutralizeLogLine(text: string): string {
  return neutralize(text).replace(/^(\s*):(?=:)/, '$1\\:');
}

/** Bidi controls shown as escapes: for markdown, which escapes its own syntax separately. */
export function neutralizeBidi(text: string): string {
  return text.replace(BIDI, visible);
}

/** A copy of a flat record (a progress event) with every string and string-array field passed through `clean`. */
export function neutralizeFields<T extends object>(record: T, clean: (text: string) => string): T {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    out[key] =
      typeof value === 'string'
        ? clean(value)
        : Array.isArray(value)
          ? value.map((item: unknown) => (typeof item === 'string' ? clean(item) : item))
          : value;
  }
  return out as T;
}
