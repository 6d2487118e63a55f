import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import {
  commandEntropy,
  freshEntropy,
  requestHash,
  type CommandEnvelope,
  type Principal,
} from '@wasteflow/ledger';
import { IDEMPOTENCY_KEY_HEADER, parseIdempotencyKey } from './idempotency-key';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

/** What every write request brings besides its DTO: who, under which key, and the body as sent. */
export interface WriteRequestInfo {
  readonly principal: Principal;
  readonly idempotencyKey: string;
  readonly correlationId: string;
  /** The parsed JSON body exactly as sent (the DTO is a validated copy). */
  readonly rawBody: unknown;
  /** The ledger's trace-code key (`traceCodeKey`), when the app was given one (`installTraceCodeKey`). */
  readonly codeKey?: Buffer;
}

/** Where the app keeps its trace-code key: a decoration of its Fastify instance (one per app). */
const CODE_KEY = 'wasteflowTraceCodeKey';

/** Gives every write request of this Fastify instance the ledger's trace-code key. */
export function installTraceCodeKey(
  fastify: { decorate(name: string, value: unknown): unknown },
  key: Buffer,
): void {
  fastify.decorate(CODE_KEY, key);
}

/** The entropy of a command (its trace codes' random parts): keyed at the edge, fresh without a key. */
export function entropyOf(write: WriteRequestInfo, idempotencyKey: string): string {
  return write.codeKey ? commandEntropy(write.codeKey, write.principal, idempotencyKey) : freshEntropy();
}

const CORRELATION_ID = /^[\x21-\x7e]{1,100}$/;

/** X-Correlation-Id when the client sends a usable one (1–100 visible ASCII), else a new UUID. */
export function correlationIdOf(header: unknown): string {
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
}

/**
 * The write context of a request: the authenticated principal (set by AccessGuard), the validated
 * Idempotency-Key (400 naming the header when missing or malformed), the correlation id.
 * `@WriteRequest('bulk')`: POST /v1/commands, whose items carry their own keys (no header needed).
 */
export const WriteRequest = createParamDecorator(
  (data: 'bulk' | undefined, context: ExecutionContext): WriteRequestInfo => {
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    if (!request.principal) throw new Error('write route reached without an authenticated principal');
    return {
      principal: request.principal,
      idempotencyKey:
        data === 'bulk' ? '' : parseIdempotencyKey(request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()]),
      correlationId: correlationIdOf(request.headers[CORRELATION_ID_HEADER.toLowerCase()]),
      rawBody: request.body,
      codeKey: (request.server as unknown as Record<string, Buffer | undefined>)[CODE_KEY],
    };
  },
);

/** The envelope of a command: the request hash covers the route template, path parameters and body. */
export function envelopeOf(
  write: WriteRequestInfo,
  route: string,
  params: Readonly<Record<string, string>> = {},
): CommandEnvelope {
  return {
    principal: write.principal,
    idempotencyKey: write.idempotencyKey,
    correlationId: write.correlationId,
    requestHash: requestHash({ route, params, body: write.rawBody }),
    entropy: entropyOf(write, write.idempotencyKey),
  };
}
