/**
 * RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes), as Postgres writes it.
 * Read in pieces of any size (a csvlog is fed line by line): fields are cut out of each piece
 * with indexOf, never built one character at a time, so a 150 MB field costs its own size.
 */
export class CsvReader {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** The last character was a closing quote: a quote now is a doubled (literal) one. */
  private closed = false;
  /** The last piece ended with `\r`: a `\n` starting the next one belongs to it. */
  private carriageReturn = false;

  constructor(private readonly onRow: (row: string[]) => void) {}

  write(text: string): void {
    let i = 0;
    if (this.carriageReturn && text.startsWith('\n')) i = 1;
    this.carriageReturn = false;
    while (i < text.length) {
      if (this.quoted) {
        const quote = text.indexOf('"', i);
        if (quote === -1) {
          this.field += text.slice(i);
          return;
        }
        this.field += text.slice(i, quote);
        this.quoted = false;
        this.closed = true;
        i = quote + 1;
        continue;
      }
      SPECIAL.lastIndex = i;
      const match = SPECIAL.exec(text);
      const at = match ? match.index : text.length;
      if (at > i) {
        this.field += text.slice(i, at);
        this.closed = false;
      }
      if (!match) return;
      const c = text[at]!;
      if (c === '"') {
        if (this.closed && at === i) this.field += '"';
        this.quoted = true;
      } else if (c === ',') {
        this.row.push(this.field);
        this.field = '';
      } else {
        if (c === '\r' && at + 1 === text.length) this.carriageReturn = true;
        this.endRow();
      }
      this.closed = false;
      i = at + 1 + (c === '\r' && text[at + 1] === '\n' ? 1 : 0);
    }
  }

  end(): void {
    if (this.field !== '' || this.row.length > 0) this.endRow();
  }

  private endRow(): void {
    this.row.push(this.field);
    this.onRow(this.row);
    this.row = [];
    this.field = '';
  }
}

const SPECIAL = /[",\r\n]/g;

export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  const reader = new CsvReader((row) => rows.push(row));
  reader.write(text);
  reader.end();
  return rows;
}
