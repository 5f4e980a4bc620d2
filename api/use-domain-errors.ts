/**
 * Turns expected domain errors in execution results into client-facing GraphQL errors
 * (api/errors.ts), before error masking sees them; masking then hides only the unexpected ones.
 */
import type { Plugin } from 'graphql-yoga';
import { handleStreamOrSingleExecutionResult } from 'graphql-yoga';
import { toGraphQLError } from './errors.ts';

export function useDomainErrors(): Plugin {
  return {
    onExecute() {
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            if (!result.errors?.length) return;
            setResult({ ...result, errors: result.errors.map((e) => toGraphQLError(e)) });
          });
        },
      };
    },
  };
}
