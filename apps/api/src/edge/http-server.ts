import type { Server, ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import type { HttpSettings } from '../config/api-config';
import { ProblemDetailsFilter } from '../problems/problem-details.filter';
import { PROBLEM_CONTENT_TYPE, problemDocument, titleFor } from '../problems/problem-document';

/** How often Node.js looks for requests past their headers or request timeout (its default is 30 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 500;

type SecurityHook = Parameters<FastifyAdapter['registerSecurityHook']>[0];

/**
 * The Fastify adapter of the edge. Its options: the default body limit (a route may take more, see
 * route-policies), the header, request and keep-alive timeouts and the header size, enforced by
 * Node.js's HTTP server. And the answers to what is refused before a route is found, as problem
 * documents with the security headers of every other answer: by Node.js, before Fastify sees a request
 * (408 too slow, 431 headers too large, 400 not HTTP), and by Fastify's router (414 a path segment too
 * long, 400 a malformed URL; neither repeats the URL back).
 */
export class EdgeFastifyAdapter extends FastifyAdapter {
  private securityHeadersHook: SecurityHook | undefined;
  private rawSecurityHeaders: readonly (readonly [string, string])[] | undefined;
  /** Sockets whose request was answered before its body had arrived (the rest is being drained). */
  private readonly answered = new WeakSet<Socket>();

  constructor(edge: HttpSettings) {
    const late: { adapter?: EdgeFastifyAdapter } = {};
    super({
      ...serverOptions(edge),
      clientErrorHandler: (error: Error & { code?: string }, socket: Socket) =>
        late.adapter?.answerClientError(error, socket),
      frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
        late.adapter?.answerFrameworkError(error, request, reply),
    });
    late.adapter = this;
  }

  /** Nest hands its security-header hook (`app.useSecurityHeaders`) here; the edge applies it to its own answers too. */
  override registerSecurityHook(hook: SecurityHook): void {
    this.securityHeadersHook = hook;
    this.rawSecurityHeaders = undefined;
    super.registerSecurityHook(hook);
  }

  /** The request on this socket has had its answer while its body is still arriving (true), or that body has ended (false). */
  markAnswered(socket: Socket, answered: boolean): void {
    if (answered) this.answered.add(socket);
    else this.answered.delete(socket);
  }

  /** A whole HTTP/1.1 problem answer written straight on a socket (no request object exists), then closed. */
  writeRawProblem(
    socket: Socket,
    status: number,
    rule: string,
    detail: string,
    headers: Record<string, string> = {},
  ): void {
    const body = JSON.stringify(problemDocument(status, rule, detail, undefined));
    const lines = [
      `HTTP/1.1 ${status} ${titleFor(status)}`,
      ...this.securityHeaderLines().map(([name, value]) => `${name}: ${value}`),
      `Content-Type: ${PROBLEM_CONTENT_TYPE}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Cache-Control: no-store',
      'Connection: close',
      ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ];
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }

  private answerClientError(error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // a response already under way on this socket cannot be replaced (Node.js makes the same check),
    // nor one already given to the request whose body is late
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && !inFlight?.headersSent && !this.answered.has(socket)) {
      const { status, rule, detail } = clientProblem(error.code);
      this.writeRawProblem(socket, status, rule, detail);
    }
    socket.destroySoon();
  }

  private answerFrameworkError(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    try {
      this.securityHeadersHook?.(request, reply.raw);
    } catch {
      // the request is refused either way; a throw here would escape the router
    }
    const problem = new ProblemDetailsFilter().toProblem(error, request.url);
    void reply
      .status(problem.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      .send(problem);
  }

  private securityHeaderLines(): readonly (readonly [string, string])[] {
    if (!this.rawSecurityHeaders) {
      const collected: [string, string][] = [];
      // the hook only sets headers on the response it is given (no CSRF protection is enabled here)
      this.securityHeadersHook?.({} as FastifyRequest, {
        setHeader: (name: string, value: string) => collected.push([name, value]),
        removeHeader: () => undefined,
      });
      this.rawSecurityHeaders = collected;
    }
    return this.rawSecurityHeaders;
  }
}

function serverOptions(edge: HttpSettings): FastifyServerOptions & { http: ServerOptions } {
  return {
    bodyLimit: edge.bodies.default.maxBytes,
    // a path parameter as long as the request target may be (Fastify's own default is 100 characters):
    // the legacy child codes the ledger issued before issue 10 row 7 grew by 2 characters a generation
    // (102 at 40 generations) and stay readable by every route; the target's own limit is the 414
    routerOptions: { maxParamLength: edge.maxUrlLength },
    requestTimeout: edge.requestTimeoutMs,
    keepAliveTimeout: edge.keepAliveTimeoutMs,
    http: {
      headersTimeout: edge.headersTimeoutMs,
      requestTimeout: edge.requestTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      maxHeaderSize: edge.maxHeaderBytes,
    },
    return503OnClosing: true,
  };
}

/** Node.js's client errors by code: status, rule, detail. */
function clientProblem(code: string | undefined): { status: number; rule: string; detail: string } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        rule: 'request-timeout',
        detail: 'the request did not arrive in time; the connection is closed',
      };
    case 'HPE_HEADER_OVERFLOW':
      return {
        status: 431,
        rule: 'headers-too-large',
        detail: 'the request line and headers are larger than this api accepts',
      };
    default:
      return { status: 400, rule: 'malformed-request', detail: 'the request is not valid HTTP/1.1' };
  }
}

/**
 * Caps on open connections, overall and per client address, so that connections held open (slow
 * bodies, idle sockets) cannot exhaust file descriptors: one over a cap is answered 503
 * `too-many-connections` and closed at once, and the server keeps answering everyone else. Behind a
 * reverse proxy every client has the proxy's address: raise the per-client cap there (or set it to 0)
 * and let the proxy limit its clients.
 */
export function installConnectionCaps(
  server: Server,
  adapter: EdgeFastifyAdapter,
  edge: Pick<HttpSettings, 'maxConnections' | 'maxConnectionsPerClient'>,
): void {
  const perClient = new Map<string, number>();
  let open = 0;
  server.on('connection', (socket: Socket) => {
    const client = socket.remoteAddress ?? '';
    const ofClient = (perClient.get(client) ?? 0) + 1;
    if (
      (edge.maxConnections > 0 && open + 1 > edge.maxConnections) ||
      (edge.maxConnectionsPerClient > 0 && ofClient > edge.maxConnectionsPerClient)
    ) {
      adapter.writeRawProblem(socket, 503, 'too-many-connections', 'too many open connections; retry later', {
        'Retry-After': '1',
      });
      socket.destroySoon();
      return;
    }
    open += 1;
    perClient.set(client, ofClient);
    socket.once('close', () => {
      open -= 1;
      const left = (perClient.get(client) ?? 1) - 1;
      if (left > 0) perClient.set(client, left);
      else perClient.delete(client);
    });
  });
}
