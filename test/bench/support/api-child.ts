/**
 * The real api (every module, Fastify) in a process of its own, for the benchmarks' HTTP load: configured
 * by the environment like `apps/api/src/main.ts`, listening on 127.0.0.1 and an ephemeral port, which it
 * prints as `listening <port>` on stdout. Stopped with SIGTERM.
 */
import 'reflect-metadata';
import { createApp } from '../../../apps/api/src/create-app';
import { runChildServer } from './child-server';

async function start(): Promise<() => Promise<void>> {
  const app = await createApp({ logger: false });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`listening ${port}\n`);
  return () => app.close();
}

runChildServer(start);
