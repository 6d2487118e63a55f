import { connect, type Socket } from 'node:net';
import type { TestApp } from './test-app';

/**
 * HTTP/1.1 over a socket of our own, for what supertest cannot send: a body trickled byte by byte,
 * headers that never end, a header repeated, a client address other than 127.0.0.1, a connection that
 * stays open. Only loopback addresses.
 */

/** Starts the app's server on 127.0.0.1 and a free port (close it with `t.close()`). */
export async function listen(t: TestApp): Promise<number> {
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.getHttpServer().address();
  if (typeof address !== 'object' || address === null) throw new Error('the app is not listening');
  return address.port;
}

export interface RawAnswer {
  /** 0 when the connection closed without an answer. */
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Milliseconds from connecting to the first byte of the answer, and to the connection's close. */
  readonly firstByteMs: number;
  readonly closedMs: number;
}

export interface RawOptions {
  /** Sent after the head, one character every `everyMs`, until the connection closes. */
  readonly trickle?: { readonly text: string; readonly everyMs: number };
  /** The client address to connect from (e.g. 127.0.0.2). */
  readonly localAddress?: string;
  /** Give up (and close) after this long. */
  readonly timeoutMs: number;
}

/** Sends `text` (a whole request, or only its beginning) and reads the first answer until the connection closes. */
export function rawRequest(port: number, text: string, options: RawOptions): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    let firstByteMs = -1;
    let trickle: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => socket.destroy(), options.timeoutMs);
    socket.on('connect', () => {
      socket.write(text);
      const slow = options.trickle;
      if (slow) {
        let i = 0;
        trickle = setInterval(() => {
          if (socket.writable) socket.write(slow.text[i++ % slow.text.length]);
        }, slow.everyMs);
      }
    });
    socket.on('data', (chunk: Buffer) => {
      if (firstByteMs < 0) firstByteMs = performance.now() - started;
      chunks.push(chunk);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      clearInterval(trickle);
      resolve({
        ...parseAnswer(Buffer.concat(chunks).toString('utf8')),
        firstByteMs,
        closedMs: performance.now() - started,
      });
    });
  });
}

/** Opens a connection and keeps it open (sending nothing) until `close()` or the server closes it. */
export function openIdle(
  port: number,
  localAddress?: string,
): Promise<{ socket: Socket; closed: Promise<string> }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    const closed = new Promise<string>((resolveClosed) => socket.on('close', () => resolveClosed(received)));
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

function parseAnswer(raw: string): Omit<RawAnswer, 'firstByteMs' | 'closedMs'> {
  const end = raw.indexOf('\r\n\r\n');
  if (!raw.startsWith('HTTP/1.1 ') || end < 0) return { status: 0, headers: {}, body: raw };
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const rest = raw.slice(end + 4);
  const length = Number(headers['content-length']);
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: Number.isInteger(length) ? Buffer.from(rest, 'utf8').subarray(0, length).toString('utf8') : rest,
  };
}

/** A request head: request line, `Host`, the given headers, and the blank line. */
export function head(
  requestLine: string,
  headers: Readonly<Record<string, string | number>> | readonly [string, string][] = {},
): string {
  const entries = Array.isArray(headers) ? headers : Object.entries(headers);
  return [
    requestLine,
    'Host: 127.0.0.1',
    ...entries.map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
}
