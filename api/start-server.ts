/** Serves the API over node:http. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiOptions } from './options.ts';
import type { NodeHandler } from './queue-dashboard.ts';
import { createApi, GRAPHQL_PATH, type Api } from './server.ts';

export interface ListenOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Other handlers on the same server by path prefix (e.g. the queue dashboard); GraphQL gets the rest. */
  mounts?: readonly { prefix: string; handler: NodeHandler }[];
}

export type ServerOptions = ApiOptions & ListenOptions;

export interface RunningServer {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  port: number;
  /** Stops accepting, drops open connections and resolves once the server is down. */
  close(): Promise<void>;
}

/**
 * Creates the API from `options` and serves it; or serves an `Api` already made by `createApi`.
 * The graph store is never closed here: whoever opened it closes it after `close()`.
 * @example const { url, close } = await startServer({ graph, port: 4000, host: '127.0.0.1' });
 */
export async function startServer(options: ServerOptions): Promise<RunningServer>;
export async function startServer(api: Api, listen: ListenOptions): Promise<RunningServer>;
export async function startServer(first: ServerOptions | Api, second?: ListenOptions): Promise<RunningServer> {
  let yoga: Api;
  let listen: ListenOptions;
  if (second) {
    yoga = first as Api;
    listen = second;
  } else {
    const { port, host, mounts, ...apiOptions } = first as ServerOptions;
    yoga = createApi(apiOptions);
    listen = { port, host, mounts };
  }
  const ownsApi = !second;
  const mounts = listen.mounts ?? [];
  const server = createServer((req, res) => {
    const mount = mounts.find((m) => req.url === m.prefix || req.url?.startsWith(`${m.prefix}/`) || req.url?.startsWith(`${m.prefix}?`));
    if (mount) mount.handler(req, res);
    else void yoga(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | null = null;
  return {
    url: `http://${shownHost}:${address.port}${GRAPHQL_PATH}`,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }).then(() => (ownsApi ? yoga.dispose() : undefined));
      return closing;
    },
  };
}
