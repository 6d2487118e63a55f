import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EncodedAppend, SerializedOutcome } from './sqlite-writer';
import type { WriterRequest, WriterThreadData } from './sqlite-writer.worker';

type Reply =
  | { readonly ready: true }
  | { readonly id: number; readonly outcomes: SerializedOutcome[] }
  | { readonly id: number; readonly closed: true };

/**
 * The main thread's side of the writer thread: sends a group of appends, resolves with their outcomes.
 * Requests are answered in order. The thread keeps the process alive only while a request is on its way.
 * If it dies (it should not: every error of a commit is an outcome), every request on its way and every
 * later one fails with the reason.
 */
export class SqliteWriterThread {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    number,
    { resolve: (reply: Reply) => void; reject: (error: Error) => void }
  >();
  private nextId = 1;
  private failure: Error | undefined;
  private exited = false;

  constructor(data: WriterThreadData) {
    // Under ts-node-like loaders (Jest, the bench) this module is TypeScript: the worker needs a loader too.
    const typescript = extname(__filename) === '.ts';
    const file = join(__dirname, `sqlite-writer.worker${extname(__filename)}`);
    this.worker = typescript
      ? new Worker(
          `require(${JSON.stringify(require.resolve('@swc-node/register'))}); require(${JSON.stringify(file)});`,
          { eval: true, workerData: data },
        )
      : new Worker(file, { workerData: data });
    this.worker.unref();
    this.worker.on('message', (reply: Reply) => {
      if ('ready' in reply) return;
      const waiting = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) this.worker.unref();
      waiting?.resolve(reply);
    });
    this.worker.on('error', (error) => this.fail(error));
    this.worker.on('exit', (code) => {
      this.exited = true;
      this.fail(new Error(`the SQLite writer thread stopped (exit code ${code})`));
    });
  }

  commit(group: readonly EncodedAppend[]): Promise<SerializedOutcome[]> {
    return this.request({ id: 0, group }).then((reply) => {
      if (!('outcomes' in reply)) throw new Error('unexpected reply of the SQLite writer thread');
      return reply.outcomes;
    });
  }

  /** Closes the thread's connection and ends the thread, after what was sent before. */
  async close(): Promise<void> {
    if (this.exited) return;
    await this.request({ id: 0, close: true }).catch(() => undefined);
    if (!this.exited) await this.worker.terminate();
  }

  private request(request: WriterRequest): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ ...request, id });
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.waiting.values()) waiting.reject(this.failure);
    this.waiting.clear();
  }
}
