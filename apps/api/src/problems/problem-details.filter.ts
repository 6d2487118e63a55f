import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError, isFault } from '@wasteflow/domain';
import { reportFault } from '../observability/faults';
import { PROBLEM_CONTENT_TYPE, problemType, titleFor, type ProblemDocument } from './problem-document';

/** Domain errors carry a kind; this is the one place that turns a kind into an HTTP status. */
const STATUS_OF_KIND: Record<string, number> = {
  invalid: 400,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
};

/** Errors of the edge and the command side that carry their own status (400 invalid request, 401, 409, 422). */
interface StatusError {
  readonly status: number;
  readonly rule: string;
  readonly message: string;
  readonly details?: Record<string, unknown>;
  readonly errors?: readonly unknown[];
}

function isStatusError(error: unknown): error is StatusError {
  if (!(error instanceof Error)) return false;
  const candidate = error as Error & Partial<StatusError>;
  return typeof candidate.status === 'number' && typeof candidate.rule === 'string';
}

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
    const problem = this.toProblem(error, request.url);
    if (problem.status >= 500 && !isFault(error)) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    if (problem.status === 401) {
      // RFC 6750 §3: tell the client which scheme to authenticate with.
      void reply.header('www-authenticate', 'Bearer realm="wasteflow"');
    }
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  toProblem(error: unknown, instance: string): ProblemDocument {
    if (isFault(error)) {
      // The history or the configuration is broken, not the request: the operator learns the details
      // (logged and counted), the client only that it is not its doing.
      reportFault(error, instance);
      return problem(500, 'internal-error', 'an unexpected error occurred; it has been logged', instance);
    }
    if (isDomainError(error)) {
      const status = STATUS_OF_KIND[error.kind];
      const details: Record<string, unknown> = { ...error.details };
      const field = typeof details.field === 'string' ? details.field : undefined;
      return problem(status, error.rule, error.message, instance, {
        ...details,
        ...(field && status === 400 ? { errors: [{ field, rule: error.rule, message: error.message }] } : {}),
      });
    }
    if (isStatusError(error)) {
      return problem(error.status, error.rule, error.message, instance, {
        ...(error.details ?? {}),
        ...(error.errors ? { errors: error.errors } : {}),
      });
    }
    if (error instanceof HttpException) {
      return this.fromHttpException(error, instance);
    }
    const fastifyError = error as { statusCode?: number; code?: string; message?: string };
    if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
      return problem(fastifyError.statusCode, ruleOfFastifyCode(fastifyError.code), fastifyError.message ?? '', instance);
    }
    return problem(500, 'internal-error', 'an unexpected error occurred; it has been logged', instance);
  }

  private fromHttpException(error: HttpException, instance: string): ProblemDocument {
    const status = error.getStatus();
    const response = error.getResponse();
    const message =
      typeof response === 'object' && response !== null && 'message' in response
        ? String((response as { message: unknown }).message)
        : error.message;
    // Fastify's own refusals (body too large, unsupported media type) arrive wrapped; keep their code.
    const cause = error.cause as { code?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') {
      const rule = ruleOfFastifyCode(cause.code);
      return problem(status, rule, message, instance, { errors: [{ field: 'body', rule, message }] });
    }
    const rule = status === 404 ? 'route-not-found' : status === 401 ? 'unauthenticated' : `http-${status}`;
    return problem(status, rule, message, instance);
  }
}

function problem(
  status: number,
  rule: string,
  detail: string,
  instance: string,
  extensions: Record<string, unknown> = {},
): ProblemDocument {
  return { type: problemType(rule), title: titleFor(status), status, detail, instance, rule, ...extensions };
}

function ruleOfFastifyCode(code: string | undefined): string {
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'malformed-json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'body-too-large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return 'unsupported-media-type';
    default:
      return code ? code.toLowerCase().replace(/_/g, '-') : 'bad-request';
  }
}
