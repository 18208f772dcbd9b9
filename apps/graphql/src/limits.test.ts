import { buildSchema as fromSdl, parse, validate } from 'graphql';
import { costLimit, depthLimit } from './limits.js';

const schema = fromSdl(`
  type Query { items(first: Int, last: Int): [Item!]! }
  type Item { id: ID! children(first: Int): [Item!]! }
`);

function codes(query: string, rule: ReturnType<typeof depthLimit>): unknown[] {
  return validate(schema, parse(query), [rule]).map((e) => e.extensions.code);
}

describe('depthLimit', () => {
  it('counts nesting through fragments and refuses past the limit with query_too_deep', () => {
    const deep = '{ items { children { children { id } } } }';
    expect(codes(deep, depthLimit(4))).toEqual([]);
    expect(codes(deep, depthLimit(3))).toEqual(['query_too_deep']);
    const viaFragment = '{ items { ...F } } fragment F on Item { children { children { id } } }';
    expect(codes(viaFragment, depthLimit(3))).toEqual(['query_too_deep']);
  });

  it('leaves introspection to its own switch', () => {
    expect(codes('{ __schema { types { fields { type { ofType { name } } } } } }', depthLimit(2))).toEqual(
      [],
    );
  });
});

describe('costLimit', () => {
  it('multiplies by the page sizes around a field', () => {
    // items (1) + 10 children + 10*10 ids + 10 ids = 121
    const query = '{ items(first: 10) { id children(first: 10) { id } } }';
    expect(codes(query, costLimit(121))).toEqual([]);
    expect(codes(query, costLimit(120))).toEqual(['query_too_costly']);
  });

  it('counts a page size given as a variable as the largest page', () => {
    const query = 'query($n: Int) { items(first: $n) { id } }';
    expect(codes(query, costLimit(101))).toEqual([]);
    expect(codes(query, costLimit(100))).toEqual(['query_too_costly']);
  });
});
