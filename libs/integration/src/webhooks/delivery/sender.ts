import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';
import type { FeedEvent } from '../../feed/feed.reader';
import { checkTargetUrl, guardedLookup, TargetRefused, type TargetPolicy } from './target-policy';

/** Any non-2xx or no answer within this is a failed attempt (issue 15). */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** What is kept of a receiver's answer to explain a failure. */
const MAX_ERROR_CHARS = 300;

export interface SendResult {
  readonly status: number | null;
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error: string | null;
}

/** The body of a delivery: the Standard Webhooks envelope around the event as the feed shows it. */
export function deliveryBody(event: FeedEvent, sentAt: Date): string {
  return JSON.stringify({ type: event.type, timestamp: sentAt.toISOString(), data: event });
}

/**
 * One signed POST (Standard Webhooks: `webhook-id` = the event id, the same on every attempt, so a
 * receiver drops duplicates; `webhook-timestamp` in seconds; `webhook-signature` `v1,<base64 HMAC-SHA256
 * of id.timestamp.body>` by the `standardwebhooks` library). Redirects are not followed (a 3xx fails).
 */
export async function sendDelivery(
  policy: TargetPolicy,
  target: { readonly url: string; readonly secrets: readonly string[] },
  event: FeedEvent,
  sentAt: Date,
  timeoutMs = DELIVERY_TIMEOUT_MS,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = checkTargetUrl(policy, target.url);
  } catch (error) {
    return { status: null, ok: false, latencyMs: 0, error: `refused: ${(error as TargetRefused).reason}` };
  }
  const body = deliveryBody(event, sentAt);
  // One `v1,…` entry per secret in force (two during a rotation's overlap), space-separated as the spec says.
  const signature = target.secrets
    .map((secret) => new Webhook(secret).sign(event.id, sentAt, body))
    .join(' ');
  const headers = {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body).toString(),
    'user-agent': 'wasteflow-webhooks/1',
    'webhook-id': event.id,
    'webhook-timestamp': Math.floor(sentAt.getTime() / 1000).toString(),
    'webhook-signature': signature,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (result: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const req = send(
      url,
      { method: 'POST', headers, lookup: guardedLookup(policy) },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_ERROR_CHARS) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const ok = status >= 200 && status < 300;
          const text = Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_CHARS);
          finish({
            status,
            ok,
            latencyMs: elapsed(),
            error: ok ? null : `HTTP ${status}${text ? `: ${text}` : ''}`,
          });
        });
        res.on('error', (error) =>
          finish({ status: res.statusCode ?? null, ok: false, latencyMs: elapsed(), error: error.message }),
        );
      },
    );
    const timer = setTimeout(() => {
      finish({ status: null, ok: false, latencyMs: elapsed(), error: `timeout after ${timeoutMs} ms` });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({
        status: null,
        ok: false,
        latencyMs: elapsed(),
        error: error.code === 'EWEBHOOKTARGET' ? error.message : `${error.code ?? 'error'}: ${error.message}`,
      }),
    );
    req.end(body);
  });
}
