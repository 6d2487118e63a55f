import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The api's webhook settings in the suites: the local receiver allowed, quick polls, a short lease. */
export const WEBHOOK_TEST_ENV = {
  WASTEFLOW_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1',
  WASTEFLOW_WEBHOOK_POLL_MS: '40',
  WASTEFLOW_WEBHOOK_LEASE_MS: '1000',
};

/**
 * Our own check of a Standard Webhooks signature (deliberately not the library's verify): the secret is
 * `whsec_<base64 key>`; the signed content is `<webhook-id>.<webhook-timestamp>.<raw body>`; the header
 * holds space-separated `v1,<base64 HMAC-SHA256>` entries, any of which may match.
 */
export function signatureValid(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return false;
  if (!secret.startsWith('whsec_')) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest();
  return signatures.split(' ').some((entry) => {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

export interface Received {
  readonly id: string;
  readonly timestamp: number;
  readonly body: string;
  readonly headers: IncomingHttpHeaders;
  readonly json: {
    type: string;
    timestamp: string;
    data: { id: string; position: string; stream: string; type: string };
  };
  /** Whether our HMAC check passed with the secret in force when it arrived. */
  readonly valid: boolean;
  /** What the receiver answered. */
  readonly answered: number;
}

/**
 * A real HTTP receiver on 127.0.0.1 (an ephemeral port kept across stop/start): records every request,
 * checks its signature with `signatureValid`, answers `status` (200 unless set) after `delayMs` (a slow
 * receiver keeps a backlog of events projected but not yet delivered).
 */
export class WebhookReceiver {
  readonly received: Received[] = [];
  status = 200;
  delayMs = 0;
  secret = '';
  private server?: Server;
  private port = 0;

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }

  async start(): Promise<void> {
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        let json: Received['json'];
        try {
          json = JSON.parse(body) as Received['json'];
        } catch {
          json = { type: '', timestamp: '', data: { id: '', position: '', stream: '', type: '' } };
        }
        const answered = this.status;
        this.received.push({
          id: String(req.headers['webhook-id']),
          timestamp: Number(req.headers['webhook-timestamp']),
          body,
          headers: req.headers,
          json,
          valid: signatureValid(this.secret, req.headers, body),
          answered,
        });
        const answer = () => {
          res.statusCode = answered;
          res.end(answered === 200 ? 'ok' : 'not now');
        };
        if (this.delayMs > 0) setTimeout(answer, this.delayMs);
        else answer();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', () => resolve()));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Accepted (2xx) deliveries' ids in arrival order. */
  acceptedIds(): string[] {
    return this.received.filter((r) => r.answered === 200).map((r) => r.id);
  }
}

/** Polls `condition` every 25 ms until true; fails after `ms` with `what`. */
export async function eventually(
  what: string,
  condition: () => boolean | Promise<boolean>,
  ms = 20_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
