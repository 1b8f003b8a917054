import { describe, expect, it } from 'vitest';
import { fingerprintHttp, fingerprintSql } from '../../src/queries/fingerprint.js';
import { splitStatements, tokenizeSql } from '../../src/queries/sql-tokenizer.js';

const pg = (sql: string) => fingerprintSql(sql, { dialect: 'postgres' });
const my = (sql: string) => fingerprintSql(sql, { dialect: 'mysql' });
const lite = (sql: string) => fingerprintSql(sql, { dialect: 'sqlite' });

describe('fingerprintSql', () => {
  it('normalises literals, placeholders, case and whitespace', () => {
    expect(pg('select  *\n from Users where ID = 42')).toBe('SELECT * FROM users WHERE id = $1');
    expect(pg('SELECT * FROM users WHERE id = $1')).toBe('SELECT * FROM users WHERE id = $1');
    expect(pg("SELECT name FROM users WHERE email = 'a@b.c' AND age > 1.5e3")).toBe(
      'SELECT name FROM users WHERE email = $1 AND age > $2',
    );
    expect(my('select * from users where id = ? and name = ?')).toBe(
      'SELECT * FROM users WHERE id = ? AND name = ?',
    );
    expect(lite('SELECT * FROM t WHERE a = :name AND b = @other AND c = $v AND d = ?2')).toBe(
      'SELECT * FROM t WHERE a = ? AND b = ? AND c = ? AND d = ?',
    );
  });

  it('keeps casts, function calls and negative numbers readable', () => {
    expect(pg('SELECT count(*), x::int FROM t WHERE y = -5 AND z - 1 > 0')).toBe(
      'SELECT count(*), x::int FROM t WHERE y = $1 AND z - $2 > $3',
    );
    expect(pg("select now() - interval '1 day'")).toBe('SELECT now() - INTERVAL $1');
  });

  it('handles quotes inside strings, E-strings and quoted identifiers', () => {
    expect(pg('SELECT \'it\'\'s -- not a comment\', "Weird""Name" FROM t')).toBe(
      'SELECT $1, "Weird""Name" FROM t',
    );
    expect(pg("SELECT E'it\\'s /* still a string', 1")).toBe('SELECT $1, $2');
    expect(my("SELECT 'it\\'s', `Tab``le`.id FROM `Tab``le`")).toBe(
      'SELECT ?, `Tab``le`.id FROM `Tab``le`',
    );
    expect(my('SELECT "double quoted is a string in MySQL"')).toBe('SELECT ?');
  });

  it('strips comments, nested block comments in Postgres', () => {
    expect(pg('/* outer /* inner */ still comment */ SELECT 1 -- trailing\n')).toBe('SELECT $1');
    expect(my('SELECT 1 # mysql comment\n FROM dual')).toBe('SELECT ? FROM dual');
    expect(pg('SELECT a /* x */ FROM t;')).toBe('SELECT a FROM t');
  });

  it('treats dollar-quoted bodies as one literal', () => {
    expect(pg("SELECT $$it's; -- all $1 'one' string$$, $fn$ a $$ b $fn$")).toBe('SELECT $1, $2');
  });

  it('collapses IN lists and multi-row VALUES', () => {
    expect(pg('SELECT * FROM t WHERE id IN (1, 2, 3) AND x = $4')).toBe(
      'SELECT * FROM t WHERE id IN (...) AND x = $1',
    );
    expect(pg('SELECT * FROM t WHERE id IN ($1,$2)')).toBe(pg('SELECT * FROM t WHERE id in (7)'));
    expect(pg("INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y'), (3, NULL)")).toBe(
      'INSERT INTO t (a, b) VALUES (...)',
    );
    expect(pg('SELECT * FROM t WHERE id IN (SELECT id FROM u)')).toBe(
      'SELECT * FROM t WHERE id IN (SELECT id FROM u)',
    );
  });

  it('gives the same fingerprint to the same shape with different values', () => {
    const a = pg("SELECT * FROM user_details WHERE user_id = 1 AND kind = 'a'");
    const b = pg("select *\tfrom USER_DETAILS where user_id=999 and kind='bbb'");
    expect(a).toBe(b);
  });
});

describe('tokenizer and statement splitting', () => {
  it('splits multi-statement strings only at top-level semicolons', () => {
    const sql =
      'INSERT INTO t VALUES (\'a;b\'); /* ; */ CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql;\n-- ;\nSELECT ";" FROM t;;';
    expect(splitStatements(sql)).toEqual([
      "INSERT INTO t VALUES ('a;b')",
      '/* ; */ CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; SELECT 2; $$ LANGUAGE sql',
      '-- ;\nSELECT ";" FROM t',
    ]);
  });

  it('never throws on unterminated input', () => {
    expect(tokenizeSql("SELECT 'open").at(-1)?.type).toBe('string');
    expect(tokenizeSql('SELECT /* open').at(-1)?.type).toBe('comment');
    expect(pg('SELECT $$ open')).toBe('SELECT $1');
  });
});

describe('fingerprintHttp', () => {
  it('normalises ids and drops the query string', () => {
    expect(fingerprintHttp('get', 'http://api.test/users/42?page=2')).toBe('GET /users/:id');
    expect(
      fingerprintHttp(
        'POST',
        'https://x/orgs/0b5a3c9e-8f7d-4e7a-9c1b-2d3e4f5a6b7c/items/507f1f77bcf86cd799439011',
      ),
    ).toBe('POST /orgs/:id/items/:id');
    expect(fingerprintHttp('GET', '/v1/users/me/settings')).toBe('GET /v1/users/me/settings');
    expect(fingerprintHttp('GET', '/files/01ARZ3NDEKTSV4RRFFQ69G5FAV')).toBe('GET /files/:id');
    expect(fingerprintHttp('GET', '/')).toBe('GET /');
  });
});
