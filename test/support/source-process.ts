import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** A free TCP port on 127.0.0.1 just now (for a child process that must keep its port across restarts). */
export function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/**
 * One of the apps (`main`, relative to the repository) run from its sources in a process of its own,
 * compiled on the fly by @swc-node/register, its stdout and stderr kept in `output`, so that a test can
 * stop or kill it (SIGKILL: nothing flushed, nothing closed) and start another on the same data.
 */
export class SourceProcess {
  readonly output: string[] = [];
  readonly exited: Promise<Exit>;
  private readonly child: ChildProcess;

  constructor(main: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', join(ROOT, main)], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (chunk: Buffer) => this.output.push(chunk.toString());
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((done) => this.child.on('exit', (code, signal) => done({ code, signal })));
  }

  /** The process id (what the owner ids of a projector's leases name: `host:pid:…`). */
  get pid(): number {
    return this.child.pid as number;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<Exit> {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }
}
