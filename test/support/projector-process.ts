import { SourceProcess } from './source-process';

/** apps/projector from its sources in a process of its own (swc-node compiles it on the fly). */
export class ProjectorProcess extends SourceProcess {
  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    super('apps/projector/src/main.ts', {
      PROJECTOR_PORT: String(port),
      PROJECTOR_HOST: '127.0.0.1',
      ...env,
    });
  }

  async health(): Promise<{ status: number; body: Record<string, unknown> } | undefined> {
    try {
      const response = await fetch(`http://127.0.0.1:${this.port}/health`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    } catch {
      return undefined; // not listening yet
    }
  }

  async metrics(): Promise<string> {
    return (await fetch(`http://127.0.0.1:${this.port}/metrics`)).text();
  }

  /** Polls /health until `accept` holds. */
  async until(
    accept: (body: Record<string, unknown>) => boolean,
    what: string,
    timeoutMs = 30_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const health = await this.health();
      if (health && accept(health.body)) return health.body;
      if (Date.now() > deadline)
        throw new Error(
          `projector on ${this.port}: ${what} not reached; last ${JSON.stringify(health)}\n${this.output.join('')}`,
        );
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
