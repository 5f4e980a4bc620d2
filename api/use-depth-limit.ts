/** Rejects queries nested deeper than `maxDepth` at validation, before anything runs. */
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { createGraphQLError, type Plugin } from 'graphql-yoga';

export function useDepthLimit(maxDepth: number): Plugin {
  return maxDepthPlugin({
    n: maxDepth,
    exposeLimits: true,
    // Fragments group fields; they do not nest data, so they add no depth.
    flattenFragments: true,
    // Report instead of throwing, so the error reaches the client as a validation error.
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const message = error.message.replace(/^Syntax Error: /, '');
        context?.reportError(
          createGraphQLError(message, { extensions: { code: 'QUERY_TOO_DEEP', maxDepth, http: { status: 400 } } }),
        );
      },
    ],
  });
}
