export { createApi, GRAPHQL_PATH, HEALTH_PATH, type Api } from './server.ts';
export { startServer, type ListenOptions, type RunningServer, type ServerOptions } from './start-server.ts';
export { API_DEFAULTS, type ApiOptions } from './options.ts';
export type { ApiContext } from './context.ts';
