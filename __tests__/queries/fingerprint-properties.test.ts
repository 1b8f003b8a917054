import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fingerprintSql } from '../../src/queries/fingerprint.js';
import { splitStatements } from '../../src/queries/sql-tokenizer.js';

// Any string literal, quotes and comment markers included, in each dialect's escaping.
const text = fc.string({
  unit: fc.constantFrom('a', 'b', ' ', "'", '"', ';', '-', '/', '*', '$', '\\', '\n', 'é'),
});
const pgString = text.map((s) => `'${s.replace(/'/g, "''")}'`);
const pgDollar = text.filter((s) => !s.includes('$q$')).map((s) => `$q$${s}$q$`);
const mysqlString = text.map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`);
const number = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => Math.abs(d)),
);
const literal = fc.oneof(pgString, pgDollar, number.map(String));

describe('fingerprint properties', () => {
  it('the value never changes the fingerprint (Postgres literals, dollar quotes, numbers)', () => {
    fc.assert(
      fc.property(literal, literal, (a, b) => {
        const shape = (v: string) =>
          `SELECT * FROM t WHERE a = ${v} AND b IN (${v}, ${v}) -- ${v.includes('\n') ? '' : v}`;
        expect(fingerprintSql(shape(a))).toBe(fingerprintSql(shape(b)));
        expect(fingerprintSql(shape(a))).toBe('SELECT * FROM t WHERE a = $1 AND b IN (...)');
      }),
    );
  });

  it('MySQL backslash-escaped strings stay one literal', () => {
    fc.assert(
      fc.property(mysqlString, (s) => {
        expect(fingerprintSql(`SELECT ${s}, x FROM t`, { dialect: 'mysql' })).toBe(
          'SELECT ?, x FROM t',
        );
      }),
    );
  });

  it('splitting never cuts inside a literal', () => {
    fc.assert(
      fc.property(fc.array(literal, { minLength: 1, maxLength: 5 }), (values) => {
        const sql = values.map((v) => `SELECT ${v}`).join('; ');
        expect(splitStatements(sql)).toHaveLength(values.length);
      }),
    );
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(literal, (v) => {
        const once = fingerprintSql(`UPDATE users SET name = ${v} WHERE id = ${v}`);
        expect(fingerprintSql(once)).toBe(once);
      }),
    );
  });
});
