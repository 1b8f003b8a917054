/**
 * Statement fingerprints: the same query with different values gives the same text, so that
 * executions can be counted per query shape. Pure.
 *
 * Rules: comments dropped; whitespace folded to one space; keywords upper case, unquoted
 * identifiers lower case (quoted ones kept verbatim); every literal and placeholder replaced by
 * `$1`, `$2`… (Postgres) or `?` (MySQL, SQLite); `IN (…)` lists and multi-row `VALUES` collapsed to
 * `(...)`; a trailing semicolon dropped.
 */
import { tokenizeSql, type SqlDialect, type Token } from './sql-tokenizer.js';

const KEYWORDS = new Set(
  (
    'add all alter analyze and any array as asc begin between by cascade case cast check ' +
    'collate column commit constraint create cross current_date current_time current_timestamp ' +
    'database default delete desc distinct do drop else end escape except exists explain ' +
    'extension false fetch for foreign from full function grant group having if ignore ilike in ' +
    'index inner insert intersect interval into is join key language lateral left like limit ' +
    'materialized natural not null nulls of offset on only or order outer over partition primary ' +
    'procedure recursive references returning returns revoke right rollback savepoint schema ' +
    'select sequence set similar table then to transaction trigger true truncate union unique ' +
    'unlogged update using vacuum values view when where window with without'
  ).split(' '),
);

export interface FingerprintOptions {
  dialect?: SqlDialect;
}

/** `select * from Users where id = 42 -- x` → `SELECT * FROM users WHERE id = $1`. */
export function fingerprintSql(sql: string, options: FingerprintOptions = {}): string {
  const dialect = options.dialect ?? 'postgres';
  const tokens = tokenizeSql(sql, dialect).filter(
    (t) => t.type !== 'space' && t.type !== 'comment',
  );
  const out: string[] = [];
  let param = 0;
  const placeholder = () => (dialect === 'postgres' ? `$${++param}` : '?');
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    const previous = out[out.length - 1];
    if (isValue(token)) {
      // A sign in front of a number belongs to the literal (`= -5`, `(-1`, `, +2`).
      if ((previous === '-' || previous === '+') && signAllowedBefore(out[out.length - 2]))
        out.pop();
      out.push(placeholder());
    } else if (token.type === 'word') {
      const lower = token.text.toLowerCase();
      out.push(KEYWORDS.has(lower) ? lower.toUpperCase() : lower);
    } else out.push(token.text);
  }
  while (out[out.length - 1] === ';') out.pop();
  return join(collapseLists(out));
}

function isValue(token: Token): boolean {
  if (token.type === 'string' || token.type === 'number' || token.type === 'param') return true;
  if (token.type === 'word') {
    const lower = token.text.toLowerCase();
    return lower === 'true' || lower === 'false';
  }
  return false;
}

function signAllowedBefore(token: string | undefined): boolean {
  if (token === undefined) return true;
  if (token === ')' || token === ']') return false;
  if (/^[A-Za-z_]/.test(token)) return /^[A-Z]+$/.test(token); // after a keyword, not an identifier
  if (/^(\$\d+|\?)$/.test(token)) return false;
  return true; // after an operator, `(` or `,`
}

const isPlaceholder = (token: string | undefined) =>
  token !== undefined && /^(\$\d+|\?)$/.test(token);

/** Collapses `IN ($1, $2, $3)` to `IN (...)` and `VALUES ($1, $2), ($3, $4)` to `VALUES (...)`. */
function collapseLists(tokens: string[]): string[] {
  const out: string[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    if ((token === 'IN' || token === 'VALUES') && tokens[k + 1] === '(') {
      const end = valueTuplesEnd(tokens, k + 1, token === 'VALUES');
      if (end !== -1) {
        out.push(token, '(', '...', ')');
        k = end;
        continue;
      }
    }
    out.push(token);
  }
  return renumber(out);
}

/** Index of the `)` closing a run of value-only tuples starting at `open`, or -1. */
function valueTuplesEnd(tokens: string[], open: number, manyTuples: boolean): number {
  let k = open;
  let end = -1;
  for (;;) {
    if (tokens[k] !== '(') return end;
    let j = k + 1;
    let items = 0;
    for (;;) {
      const token = tokens[j];
      if (isPlaceholder(token) || token === 'NULL' || token === 'DEFAULT') {
        items++;
        j++;
      } else if (token === '...') j++;
      else return end;
      // Casts of a value (`$1::int`) keep it a value.
      while (tokens[j] === '::' && /^[a-z_][a-z0-9_]*$/.test(tokens[j + 1] ?? '')) j += 2;
      if (tokens[j] === ',') j++;
      else if (tokens[j] === ')') break;
      else return end;
    }
    if (items === 0) return end;
    end = j;
    if (!manyTuples || tokens[j + 1] !== ',') return end;
    k = j + 2;
  }
}

/** Placeholders numbered again from $1 after collapsing, so equal shapes give equal text. */
function renumber(tokens: string[]): string[] {
  let n = 0;
  return tokens.map((token) => (/^\$\d+$/.test(token) ? `$${++n}` : token));
}

/** After these, `name (` is a table and its column list, not a function call. */
const TABLE_BEFORE = new Set(['INTO', 'TABLE', 'EXISTS', 'ON', 'REFERENCES', 'VIEW', 'INDEX']);
const NO_SPACE_BEFORE = new Set([',', ')', '.', '::', ';', ']']);
const NO_SPACE_AFTER = new Set(['(', '.', '::', '[']);

function join(tokens: string[]): string {
  let text = '';
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[k]!;
    const previous = tokens[k - 1];
    const tight =
      k === 0 ||
      NO_SPACE_BEFORE.has(token) ||
      NO_SPACE_AFTER.has(previous!) ||
      // function call: `count(*)`, `lower(name)` but `IN (`, `VALUES (`
      (token === '(' &&
        /^[a-z_"`][\w$"`]*$/.test(previous!) &&
        !KEYWORDS.has(previous!.toLowerCase()) &&
        !TABLE_BEFORE.has(tokens[k - 2] ?? '')) ||
      (token === '[' && previous !== undefined && !/^[A-Z]+$/.test(previous));
    text += tight ? token : ` ${token}`;
  }
  return text;
}

/**
 * HTTP fingerprint: method and route with ids normalised and the query string dropped:
 * `GET https://api.test/users/42?page=2` → `GET /users/:id`.
 */
export function fingerprintHttp(method: string, url: string): string {
  let path = url;
  try {
    path = new URL(url, 'http://localhost').pathname;
  } catch {
    path = url.split(/[?#]/)[0] ?? url;
  }
  const segments = path.split('/').map((segment) => (isIdSegment(segment) ? ':id' : segment));
  return `${method.toUpperCase()} ${segments.join('/') || '/'}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Numbers, UUIDs, ULIDs, hex ids (≥ 8 chars with a digit) and long opaque tokens are ids. */
export function isIdSegment(segment: string): boolean {
  let s = segment;
  try {
    s = decodeURIComponent(segment);
  } catch {
    // keep it raw
  }
  if (s === '') return false;
  if (/^-?\d+$/.test(s)) return true;
  if (UUID.test(s) || ULID.test(s)) return true;
  if (/^(0x)?[0-9a-f]{8,}$/i.test(s) && /\d/.test(s)) return true;
  // Opaque tokens (base64url, nanoid…): long, mixed letters and digits, no separators of words.
  return (
    s.length >= 16 &&
    /^[A-Za-z0-9_-]+$/.test(s) &&
    /\d/.test(s) &&
    /[A-Za-z]/.test(s) &&
    !/[-_].*[-_].*[-_]/.test(s)
  );
}
