/**
 * A SQL tokenizer that is exact about where strings, identifiers and comments begin and end, for
 * the dialects the drivers speak. It does not parse: fingerprinting and statement splitting only
 * need tokens. Pure.
 */

export type SqlDialect = 'postgres' | 'mysql' | 'sqlite';

export type TokenType =
  | 'word' // keyword or unquoted identifier
  | 'quoted' // "identifier", `identifier`, [identifier]
  | 'string' // '…', E'…', $$…$$, X'…', N'…'
  | 'number'
  | 'param' // $1, ?, ?1, :name, @name, $name
  | 'op' // operators and punctuation: = <> :: ( ) , ; .
  | 'comment'
  | 'space';

export interface Token {
  type: TokenType;
  text: string;
  start: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';
const PUNCTUATION = '(),;.[]{}';

/** Splits SQL text into tokens; never throws (an unterminated string runs to the end). */
export function tokenizeSql(sql: string, dialect: SqlDialect = 'postgres'): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  const push = (type: TokenType, end: number) => {
    tokens.push({ type, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < n) {
    const c = sql[i]!;
    const next = sql[i + 1] ?? '';
    if (/\s/.test(c)) {
      let j = i + 1;
      while (j < n && /\s/.test(sql[j]!)) j++;
      push('space', j);
    } else if (c === '-' && next === '-') {
      push('comment', lineEnd(sql, i));
    } else if (c === '#' && dialect === 'mysql') {
      push('comment', lineEnd(sql, i));
    } else if (c === '/' && next === '*') {
      push('comment', blockCommentEnd(sql, i, dialect === 'postgres'));
    } else if (c === "'") {
      push('string', quotedEnd(sql, i, "'", dialect === 'mysql'));
    } else if ((c === 'E' || c === 'e') && next === "'" && dialect === 'postgres') {
      push('string', quotedEnd(sql, i + 1, "'", true));
    } else if (/[NnXxBbUu]/.test(c) && next === "'") {
      // N'…' national, X'…' hex, B'…' bit strings; U&'…' is handled as word + op + string.
      push('string', quotedEnd(sql, i + 1, "'", dialect === 'mysql'));
    } else if (c === '"') {
      // Postgres and SQLite: identifier; MySQL (without ANSI_QUOTES): a string.
      push(dialect === 'mysql' ? 'string' : 'quoted', quotedEnd(sql, i, '"', dialect === 'mysql'));
    } else if (c === '`' && dialect !== 'postgres') {
      push('quoted', quotedEnd(sql, i, '`', false));
    } else if (c === '[' && dialect === 'sqlite') {
      const close = sql.indexOf(']', i + 1);
      push('quoted', close === -1 ? n : close + 1);
    } else if (c === '$') {
      const dollar = dialect === 'postgres' ? dollarQuoteEnd(sql, i) : -1;
      if (dollar !== -1) push('string', dollar);
      else if (DIGIT.test(next)) push('param', scan(sql, i + 1, DIGIT));
      else if (dialect === 'sqlite' && WORD_START.test(next))
        push('param', scan(sql, i + 1, WORD_CHAR));
      else push('op', i + 1);
    } else if (c === '?' && dialect !== 'postgres') {
      push('param', scan(sql, i + 1, DIGIT));
    } else if (c === ':' && next === ':') {
      push('op', i + 2);
    } else if (c === ':' && WORD_START.test(next) && sql[i - 1] !== ':') {
      push('param', scan(sql, i + 1, WORD_CHAR));
    } else if (c === '@' && dialect === 'sqlite' && WORD_START.test(next)) {
      push('param', scan(sql, i + 1, WORD_CHAR));
    } else if (DIGIT.test(c) || (c === '.' && DIGIT.test(next))) {
      push('number', numberEnd(sql, i));
    } else if (WORD_START.test(c)) {
      push('word', scan(sql, i + 1, WORD_CHAR));
    } else if (PUNCTUATION.includes(c) || c === ':') {
      push('op', i + 1);
    } else if (OPERATOR_CHARS.includes(c)) {
      let j = i + 1;
      // An operator ends before a comment start (`=--` is `=` then a comment).
      while (
        j < n &&
        OPERATOR_CHARS.includes(sql[j]!) &&
        !(sql[j] === '-' && sql[j + 1] === '-') &&
        !(sql[j] === '/' && sql[j + 1] === '*') &&
        !(sql[j] === '#' && dialect === 'mysql') &&
        !(sql[j] === '?' && dialect !== 'postgres') &&
        !(sql[j] === '`' && dialect !== 'postgres')
      )
        j++;
      push('op', j);
    } else {
      push('op', i + 1);
    }
  }
  return tokens;
}

function scan(sql: string, from: number, re: RegExp): number {
  let j = from;
  while (j < sql.length && re.test(sql[j]!)) j++;
  return j;
}

function lineEnd(sql: string, from: number): number {
  const end = sql.indexOf('\n', from);
  return end === -1 ? sql.length : end;
}

/** End of a block comment; Postgres nests them, MySQL and SQLite do not. */
function blockCommentEnd(sql: string, from: number, nested: boolean): number {
  let depth = 0;
  let j = from;
  while (j < sql.length) {
    if (sql[j] === '/' && sql[j + 1] === '*' && (nested || depth === 0)) {
      depth++;
      j += 2;
    } else if (sql[j] === '*' && sql[j + 1] === '/') {
      depth--;
      j += 2;
      if (depth === 0) return j;
    } else j++;
  }
  return sql.length;
}

/** End of a quoted run: a doubled quote is an escaped quote; optionally backslash escapes too. */
function quotedEnd(sql: string, open: number, quote: string, backslash: boolean): number {
  let j = open + 1;
  while (j < sql.length) {
    const ch = sql[j];
    if (backslash && ch === '\\') j += 2;
    else if (ch === quote) {
      if (sql[j + 1] === quote) j += 2;
      else return j + 1;
    } else j++;
  }
  return sql.length;
}

/** `$$…$$` or `$tag$…$tag$`; -1 when `$` does not open a dollar quote here. */
function dollarQuoteEnd(sql: string, from: number): number {
  const match = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(
    sql.slice(from, from + 64),
  );
  if (!match) return -1;
  // `$1$` is not a tag and a tag cannot directly follow an identifier character (`a$b$`).
  if (from > 0 && WORD_CHAR.test(sql[from - 1]!)) return -1;
  const delimiter = match[0];
  const close = sql.indexOf(delimiter, from + delimiter.length);
  return close === -1 ? sql.length : close + delimiter.length;
}

function numberEnd(sql: string, from: number): number {
  if (sql[from] === '0' && /[xX]/.test(sql[from + 1] ?? ''))
    return scan(sql, from + 2, /[0-9A-Fa-f_]/);
  let j = scan(sql, from, /[0-9_]/);
  if (sql[j] === '.' && sql[j + 1] !== '.') j = scan(sql, j + 1, /[0-9_]/);
  if (/[eE]/.test(sql[j] ?? '') && /[0-9+-]/.test(sql[j + 1] ?? '')) {
    j = scan(sql, /[+-]/.test(sql[j + 1]!) ? j + 2 : j + 1, DIGIT);
  }
  return j;
}

/**
 * Splits a string of several statements at top-level semicolons (never inside strings, quoted
 * identifiers, comments or dollar-quoted bodies). Empty statements are dropped.
 */
export function splitStatements(sql: string, dialect: SqlDialect = 'postgres'): string[] {
  const statements: string[] = [];
  let start = 0;
  let meaningful = false;
  for (const token of tokenizeSql(sql, dialect)) {
    if (token.type === 'op' && token.text === ';') {
      if (meaningful) statements.push(sql.slice(start, token.start).trim());
      start = token.start + 1;
      meaningful = false;
    } else if (token.type !== 'space' && token.type !== 'comment') meaningful = true;
  }
  if (meaningful) statements.push(sql.slice(start).trim());
  return statements;
}
