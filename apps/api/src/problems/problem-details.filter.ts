import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, isFault } from '@wasteflow/domain';
import { reportFault } from '../observability/faults';
import { PROBLEM_CONTENT_TYPE, problemDocument, type ProblemDocument } from './problem-document';
import { STORAGE_RETRY_AFTER_SECONDS, storageProblem } from './storage-unavailable';

/** Domain errors carry a kind; this is the one place that turns a kind into an HTTP status. */
const STATUS_OF_KIND: Record<string, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
};

/** Errors of the edge and the command side that carry their own status (400 invalid request, 401, 405, 409, 422, 429). */
interface StatusError {
  readonly status: number;
  readonly rule: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  readonly errors?: readonly unknown[];
  /** Headers the answer must carry (`Allow` of a 405, `Retry-After` of a 429). */
  readonly headers?: Readonly<Record<string, string>>;
}

function isStatusError(error: unknown): error is StatusError {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & Partial<StatusError>;
  return typeof candidate.status === 'number' && typeof candidate.rule === 'string';
}

/**
 * Fastify's own refusals, by code: the rule, a fixed detail (never the request's URL or bytes echoed
 * back), whether `instance` may name the path, and the field a 400 names.
 */
const FASTIFY_REFUSALS: Record<string, { rule: string; detail: string; echoPath: boolean; field?: string }> =
  {
    FST_ERR_CTP_INVALID_JSON_BODY: {
      rule: 'malformed-json',
      detail: 'the body is not valid JSON',
      echoPath: true,
      field: 'body',
    },
    FST_ERR_CTP_EMPTY_JSON_BODY: {
      rule: 'malformed-json',
      detail: 'the body is empty; send a JSON document',
      echoPath: true,
      field: 'body',
    },
    FST_ERR_CTP_BODY_TOO_LARGE: {
      rule: 'body-too-large',
      detail: 'the body is larger than this route accepts',
      echoPath: true,
      field: 'body',
    },
    FST_ERR_CTP_INVALID_MEDIA_TYPE: {
      rule: 'unsupported-media-type',
      detail: 'send the body as application/json',
      echoPath: true,
      field: 'body',
    },
    FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
      rule: 'invalid-content-length',
      detail: 'the body is not as long as its Content-Length says',
      echoPath: true,
      field: 'Content-Length',
    },
    FST_ERR_MAX_PARAM_LENGTH: {
      rule: 'uri-too-long',
      detail: 'a path segment is longer than this api accepts',
      echoPath: false,
    },
    FST_ERR_BAD_URL: {
      rule: 'malformed-url',
      detail: 'the request target is not a valid URL path',
      echoPath: false,
      field: 'url',
    },
  };

/**
 * Every error leaves as an RFC 9457 problem document. Anything not recognised is a bug: it is logged
 * with its stack and answered 500 without internals.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('Problems');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const storage = isFault(error) ? undefined : storageProblem(error, request.method, request.url);
    const problem = storage ?? this.toProblem(error, request.url, request.routeOptions?.bodyLimit);
    if (storage) {
      // Not a bug: one line, no stack (an outage makes thousands of these).
      this.logger.warn(`${request.method} ${request.url}: ${problem.rule}: ${(error as Error).message}`);
      void reply.header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS));
    } else if (problem.status >= 500 && !isFault(error)) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (problem.status === 401) {
      // RFC 6750 §3: tell the client which scheme to authenticate with.
      void reply.header('www-authenticate', 'Bearer realm="wasteflow"');
    }
    if (isStatusError(error) && error.headers) {
      for (const [name, value] of Object.entries(error.headers)) void reply.header(name, value);
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  toProblem(error: unknown, instance: string, bodyLimit?: number): ProblemDocument {
    if (isFault(error)) {
      // The history or the configuration is broken, not the request: the operator learns the details
      // (logged and counted), the client only that it is not its doing.
      reportFault(error, instance);
      return problemDocument(
        500,
        'internal-error',
        'an unexpected error occurred; it has been logged',
        instance,
      );
    }
    if (isDomainError(error)) {
      const status = STATUS_OF_KIND[error.kind];
      const details: Record<string, unknown> = { ...error.details };
      const field = typeof details.field === 'string' ? details.field : undefined;
      return problemDocument(status, error.rule, error.message, instance, {
        ...details,
        ...(field && status === 400 ? { errors: [{ field, rule: error.rule, message: error.message }] } : {}),
      });
    }
    if (isStatusError(error)) {
      // a 414 never repeats the request target it refuses
      return problemDocument(
        error.status,
        error.rule,
        error.message,
        error.status === 414 ? undefined : instance,
        {
          ...(error.details ?? {}),
          ...(error.errors ? { errors: error.errors } : {}),
        },
      );
    }
    if (error instanceof HttpException) {
      return this.fromHttpException(error, instance, bodyLimit);
    }
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    if (
      typeof fastifyError.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500
    ) {
      return fastifyRefusal(
        fastifyError.statusCode,
        fastifyError.code,
        fastifyError.message ?? '',
        instance,
        bodyLimit,
      );
    }
    return problemDocument(
      500,
      'internal-error',
      'an unexpected error occurred; it has been logged',
      instance,
    );
  }

  private fromHttpException(
    error: HttpException,
    instance: string,
    bodyLimit: number | undefined,
  ): ProblemDocument {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;
    // Fastify's own refusals (body too large, unsupported media type, an over-long path) arrive wrapped
    const cause = error.cause as { code?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') {
      return fastifyRefusal(status, cause.code, message, instance, bodyLimit);
    }
    const rule = status === 404 ? 'route-not-found' : status === 401 ? 'unauthenticated' : `http-${status}`;
    return problemDocument(
      status,
      rule,
      status === 404 ? 'no route matches this method and path' : cut(message),
      instance,
    );
  }
}

function fastifyRefusal(
  status: number,
  code: string | undefined,
  message: string,
  instance: string,
  bodyLimit: number | undefined,
): ProblemDocument {
  const known = code ? FASTIFY_REFUSALS[code] : undefined;
  if (!known) {
    const rule = code ? code.toLowerCase().replace(/_/g, '-') : 'bad-request';
    return problemDocument(
      status,
      rule,
      cut(message),
      instance,
      status === 400 ? { errors: [{ field: 'request', rule, message: cut(message) }] } : {},
    );
  }
  const detail =
    known.rule === 'body-too-large' && bodyLimit
      ? `the body is larger than the ${bodyLimit} bytes this route accepts`
      : known.detail;
  return problemDocument(status, known.rule, detail, known.echoPath ? instance : undefined, {
    ...(known.field ? { errors: [{ field: known.field, rule: known.rule, message: detail }] } : {}),
    ...(known.rule === 'body-too-large' && bodyLimit ? { limitBytes: bodyLimit } : {}),
  });
}

function cut(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
