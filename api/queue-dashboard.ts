/**
 * The operators' queue dashboard at /admin/queues (bull-board), served when jobs run on BullMQ. It
 * is read-only: there is no authentication yet, and a dashboard that can retry, promote or delete
 * jobs must sit behind an operator role first. Mounted beside GraphQL on the same HTTP server.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express from 'express';

export const QUEUE_DASHBOARD_PATH = '/admin/queues';

export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A request handler for everything under QUEUE_DASHBOARD_PATH. */
export function createQueueDashboard(queues: readonly Queue[]): NodeHandler {
  const adapter = new ExpressAdapter();
  adapter.setBasePath(QUEUE_DASHBOARD_PATH);
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { readOnlyMode: true, allowRetries: false })),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'MarketGraph jobs' } },
  });
  const app = express();
  app.disable('x-powered-by');
  app.use(QUEUE_DASHBOARD_PATH, adapter.getRouter());
  return app as unknown as NodeHandler;
}
