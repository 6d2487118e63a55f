import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

const ROOT = join(__dirname, '..', '..', '..', '..');

/**
 * Runs one of these TypeScript child scripts in its own Node process (compiled on the fly by
 * @swc-node/register, which also resolves the @wasteflow/* paths): a real second process for crash
 * tests, and a Node that can require Nest 12's ES modules, which Jest's module system cannot.
 */
export function runChild(script: string, input: unknown, timeoutMs = 30_000): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, script), JSON.stringify(input)], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
