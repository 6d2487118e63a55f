import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import type { Readable } from 'node:stream';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * One of these TypeScript child scripts (or another, by its absolute path) in its own Node process, compiled
 * on the fly by @swc-node/register (which also resolves the @wasteflow/* paths): a real second process for
 * crash tests, and a Node that can require Nest 12's ES modules, which Jest's module system cannot.
 */
function spawnChild(script: string, input: unknown): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, ['-r', '@swc-node/register', resolvePath(__dirname, script), JSON.stringify(input)], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a child script (see spawnChild) to its end, SIGKILLed and rejected after `timeoutMs`. */
export function runChild(script: string, input: unknown, timeoutMs = 30_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawnChild(script, input);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} timed out\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** The last line of stdout that parses as JSON: what the child reports. */
export function report<T>(result: ChildResult): T {
  const lines = result.stdout.trim().split('\n').reverse();
  for (const line of lines) {
    if (line.startsWith('{')) return JSON.parse(line) as T;
  }
  throw new Error(`no report from the child (code ${result.code}, signal ${result.signal})\n${result.stdout}\n${result.stderr}`);
}

/** Config objects cross to the child as JSON; bigint fields (initialPosition) cannot, and are not needed. */
export function jsonSafe<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, field: unknown) => (typeof field === 'bigint' ? undefined : field))) as T;
}

export interface RunningChild {
  readonly pid: number;
  /** The first stdout line that parses as JSON (rejects if the child exits before printing one). */
  readonly reported: Promise<unknown>;
  readonly exited: Promise<ChildResult>;
  /** SIGKILL (also wakes a stopped child: the kernel delivers SIGKILL to stopped processes). */
  kill(): Promise<ChildResult>;
}

/** Starts a child script and leaves it running; the caller must kill() it (in a finally or afterEach). */
export function startChild(script: string, input: unknown): RunningChild {
  const child = spawnChild(script, input);
  let stdout = '';
  let stderr = '';
  let onReport: (value: unknown) => void = () => undefined;
  let onNoReport: (error: Error) => void = () => undefined;
  const reported = new Promise<unknown>((resolve, reject) => {
    onReport = resolve;
    onNoReport = reject;
  });
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (line) onReport(JSON.parse(line));
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<ChildResult>((resolve) => {
    child.on('exit', (code, signal) => {
      onNoReport(new Error(`${script} exited (code ${code}, signal ${signal}) before reporting\n${stdout}\n${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    pid: child.pid as number,
    reported,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      return exited;
    },
  };
}

/** Whether a process is stopped (state T in /proc/<pid>/stat; Linux). */
export function isStopped(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('T');
  } catch {
    return false;
  }
}
