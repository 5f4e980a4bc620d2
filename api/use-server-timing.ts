/** `Server-Timing: total;dur=<ms>` on every response, for quick latency checks in devtools. */
import type { Plugin } from 'graphql-yoga';

export function useServerTiming(): Plugin {
  const started = new WeakMap<Request, number>();
  return {
    onRequest({ request }) {
      started.set(request, performance.now());
    },
    onResponse({ request, response }) {
      const start = started.get(request);
      if (start === undefined) return;
      response.headers.append('server-timing', `total;dur=${(performance.now() - start).toFixed(1)}`);
    },
  };
}
