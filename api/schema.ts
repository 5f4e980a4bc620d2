/** The executable schema: the SDL of schema/graphql.ts plus the resolvers of api/. */
import { createSchema } from 'graphql-yoga';
import { typeDefs } from '../schema/graphql.ts';
import type { ApiContext } from './context.ts';
import { queryResolvers } from './resolvers-query.ts';
import { analysisQueryResolvers } from './resolvers-analysis.ts';
import { jobMutationResolvers, jobQueryResolvers, jobSubscriptionResolvers } from './resolvers-jobs.ts';
import { textResolvers } from './resolvers-text.ts';
import { typeResolvers } from './resolvers-types.ts';
import { DateTimeScalar, JsonScalar } from './scalars.ts';

export function createApiSchema() {
  return createSchema<ApiContext>({
    typeDefs,
    resolvers: {
      DateTime: DateTimeScalar,
      JSON: JsonScalar,
      Query: { ...queryResolvers, ...jobQueryResolvers, ...analysisQueryResolvers },
      Mutation: jobMutationResolvers,
      Subscription: jobSubscriptionResolvers,
      ...typeResolvers,
      ...textResolvers,
      Entity: { ...typeResolvers.Entity, ...textResolvers.Entity },
      Event: { ...typeResolvers.Event, ...textResolvers.Event },
      Fact: { ...typeResolvers.Fact, ...textResolvers.Fact },
    },
  });
}
