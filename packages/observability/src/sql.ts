/*
 * One pass over the statement, left to right; the first alternative that matches at a position wins:
 * a quoted identifier (kept), an escape string E'..' (backslash escapes), a plain, bit or hex string
 * '..' ('' inside), a dollar-quoted string $tag$..$tag$, a number that is not part of a name or a
 * `$1` placeholder.
 */
const TOKENS =
  /("(?:[^"]|"")*")|[Ee]'(?:[^'\\]|''|\\[\s\S])*'|[BbXxNn]?'(?:[^']|'')*'|(\$[A-Za-z_]*\$)[\s\S]*?\2|(?<![\w$.])\d+(?:\.\d+)?(?:[Ee][+-]?\d+)?\b/g;

/**
 * The statement with every literal (strings, numbers) replaced by `?`. MikroORM inlines bound
 * values into the SQL it sends (`platform.formatQuery`), so a statement as sent can hold an email
 * address, a password hash or a token's hash; what is left is the statement's shape, which is what a
 * trace needs.
 */
export function redactSqlLiterals(sql: string): string {
  return sql.replace(TOKENS, (_literal, identifier: string | undefined) => identifier ?? '?');
}
