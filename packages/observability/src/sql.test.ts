import { redactSqlLiterals } from './sql.js';

describe('redactSqlLiterals', () => {
  it('replaces the string and number literals MikroORM inlines, keeping the statement shape', () => {
    expect(
      redactSqlLiterals(
        `select "u0".* from "users" as "u0" where "u0"."email" = 'ada@example.com' and "u0"."age" > 41 limit 1`,
      ),
    ).toBe(`select "u0".* from "users" as "u0" where "u0"."email" = ? and "u0"."age" > ? limit ?`);
  });

  it("redacts a quote doubled inside a string and pg's E'' form for backslashes as one literal", () => {
    expect(redactSqlLiterals(`where name = 'O''Brien' and note = E'a\\\\b''c' and x = 1`)).toBe(
      'where name = ? and note = ? and x = ?',
    );
  });

  it('redacts byte strings, decimals, exponents and dollar-quoted strings', () => {
    expect(redactSqlLiterals(`values (E'\\\\x00ff', 3.25, 1e-3, $$secret$$, $t$it's$t$)`)).toBe(
      'values (?, ?, ?, ?, ?)',
    );
  });

  it('keeps placeholders, digits inside names and quoted identifiers that look like literals', () => {
    expect(redactSqlLiterals(`select "t1"."a2", "it's" from t0 where id = $1 and v = $12`)).toBe(
      `select "t1"."a2", "it's" from t0 where id = $1 and v = $12`,
    );
  });

  it('redacts uuids, timestamps and intervals quoted as strings', () => {
    expect(
      redactSqlLiterals(
        `where id = 'c7a8dae9-4bcc-4e31-a463-163b801a5900' and at < '2026-12-06T23:00:00.000Z'::timestamptz`,
      ),
    ).toBe('where id = ? and at < ?::timestamptz');
  });
});
