/**
 * A bare Hono handler for `pnpm bench` (bench/search.ts forks this file): answers one GET path with a
 * fixed JSON body, so the BFF's cost of an endpoint can be compared with Hono doing nothing else.
 * Reads `BENCH_PATH` and `BENCH_BODY`; sends `{ url }` to the parent once listening.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const path = process.env.BENCH_PATH ?? '/';
const body = process.env.BENCH_BODY ?? '{}';
const app = new Hono();
app.get(path, (c) => c.body(body, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }));
const server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => {
  process.send?.({ url: `http://127.0.0.1:${info.port}` });
});
process.on('message', (message: { type?: string }) => {
  if (message.type === 'stop') server.close(() => process.exit(0));
});
