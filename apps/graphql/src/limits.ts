import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { MAX_PAGE_SIZE } from './paging.js';

/** The refusal's `extensions`: the catalogue's code, and the limit with what the query reached. */
function refusal(code: 'query_too_deep' | 'query_too_costly', message: string, limit: number, found: number) {
  return new GraphQLError(message, { extensions: { code, limit, found } });
}

/**
 * Walks an operation through its fragments: `visit` gets each field with its depth and the product
 * of the page sizes of the lists it sits in. A fragment spread twice is walked twice, as executing it
 * would; a fragment cycle is refused by graphql's own rules before ours matter.
 */
function walk(
  selections: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  visit: (field: FieldNode, depth: number, multiplier: number) => void,
  depth = 1,
  multiplier = 1,
  seen: ReadonlySet<string> = new Set(),
): void {
  for (const selection of selections.selections) {
    if (selection.kind === Kind.FIELD) {
      // Introspection (`__schema`, `__type`) nests deeply by design; it is off in production instead.
      if (selection.name.value.startsWith('__')) continue;
      visit(selection, depth, multiplier);
      if (selection.selectionSet)
        walk(selection.selectionSet, fragments, visit, depth + 1, multiplier * pageOf(selection), seen);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      walk(selection.selectionSet, fragments, visit, depth, multiplier, seen);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment === undefined || seen.has(fragment.name.value)) continue;
      const inner = new Set(seen).add(fragment.name.value);
      walk(fragment.selectionSet, fragments, visit, depth, multiplier, inner);
    }
  }
}

/**
 * How many items a field's list may hold: its `first` or `last` when written in the query, the
 * largest page when it comes from a variable (validation runs before variables are known).
 */
function pageOf(field: FieldNode): number {
  const arg = field.arguments?.find((a) => a.name.value === 'first' || a.name.value === 'last');
  if (arg === undefined) return 1;
  if (arg.value.kind === Kind.INT) return Math.max(1, Math.min(MAX_PAGE_SIZE, Number(arg.value.value)));
  return MAX_PAGE_SIZE;
}

/** A rule for each operation of the document, fed the fields `walk` finds. */
function perOperation(
  context: ValidationContext,
  check: (selections: SelectionSetNode, fragments: Record<string, FragmentDefinitionNode>) => void,
): ASTVisitor {
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of context.getDocument().definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  return {
    OperationDefinition(node) {
      check(node.selectionSet, fragments);
    },
  };
}

/** Refuses an operation whose fields nest deeper than `max` (`query_too_deep`). */
export function depthLimit(max: number) {
  return (context: ValidationContext): ASTVisitor =>
    perOperation(context, (selections, fragments) => {
      let deepest = 0;
      walk(selections, fragments, (_field, depth) => {
        deepest = Math.max(deepest, depth);
      });
      if (deepest > max)
        context.reportError(
          refusal('query_too_deep', `The query nests ${deepest} levels deep; at most ${max}.`, max, deepest),
        );
    });
}

/**
 * Refuses an operation that could cost more than `max` (`query_too_costly`): each field costs one,
 * times the page sizes of the connections around it, so 100 conversations with 100 messages each
 * cost what fetching 10,000 messages does.
 */
export function costLimit(max: number) {
  return (context: ValidationContext): ASTVisitor =>
    perOperation(context, (selections, fragments) => {
      let cost = 0;
      walk(selections, fragments, (_field, _depth, multiplier) => {
        cost += multiplier;
      });
      if (cost > max)
        context.reportError(
          refusal('query_too_costly', `The query could cost ${cost}; at most ${max}.`, max, cost),
        );
    });
}
