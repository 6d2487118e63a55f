import { SourceProcess } from './source-process';

/**
 * apps/api/src/main.ts in a process of its own (compiled on the fly by @swc-node/register), so that a test
 * can kill it (SIGKILL: nothing flushed, nothing closed) and start another on the same data.
 */
export class ApiChild extends SourceProcess {
  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    super('apps/api/src/main.ts', { PORT: String(port), HOST: '127.0.0.1', ...env });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Resolves when /health answers 200. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.running) throw new Error(`api exited before it was ready:\n${this.output.join('')}`);
      try {
        if ((await fetch(`${this.url}/health`)).status === 200) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline)
        throw new Error(`api not ready in ${timeoutMs} ms:\n${this.output.join('')}`);
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}
