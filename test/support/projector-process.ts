import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** A TCP port free on 127.0.0.1 just now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** apps/projector from its sources in a process of its own (swc-node compiles it on the fly). */
export class ProjectorProcess {
  readonly output: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private readonly child: ChildProcess;

  constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.child = spawn(
      process.execPath,
      ['-r', '@swc-node/register', join(ROOT, 'apps/projector/src/main.ts')],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
          PROJECTOR_PORT: String(port),
          PROJECTOR_HOST: '127.0.0.1',
          ...env,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const keep = (chunk: Buffer) => this.output.push(chunk.toString());
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
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

  /** The process id: what the owner ids of its leases name (`host:pid:…`). */
  get pid(): number {
    return this.child.pid as number;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}
