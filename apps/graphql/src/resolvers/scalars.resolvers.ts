import { GraphQLError, GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql';
import { ACCOUNT_STATUSES, ROLES } from '@platform/contracts';

/** GraphQL's upper-case enum names for the platform's lower-case values. */
const enumOf = (values: readonly string[]) =>
  Object.fromEntries(values.map((value) => [value.toUpperCase(), value]));

function toDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()) || !/^\d{4}-\d\d-\d\dT/.test(String(value)))
    throw new GraphQLError('A DateTime is an ISO 8601 string such as 2026-01-31T12:00:00Z.');
  return date;
}

/** The custom scalars and the enums' internal values. */
export const scalarResolvers = {
  DateTime: new GraphQLScalarType({
    name: 'DateTime',
    serialize: (value) => (value instanceof Date ? value.toISOString() : toDate(value).toISOString()),
    parseValue: toDate,
    parseLiteral: (ast) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError('A DateTime is a string.');
      return toDate(ast.value);
    },
  }),
  JSON: new GraphQLScalarType({
    name: 'JSON',
    serialize: (value) => value,
    parseValue: (value) => value,
    parseLiteral: (ast) => valueFromASTUntyped(ast),
  }),
  Role: enumOf(ROLES),
  AccountStatus: enumOf(ACCOUNT_STATUSES),
  AuditLogKind: enumOf(['request', 'audit']),
  ConversationKind: enumOf(['global', 'direct', 'group']),
  GroupRole: enumOf(['owner', 'member']),
};
