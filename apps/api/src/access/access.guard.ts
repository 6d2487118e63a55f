import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { TokenService, type Principal, type PrincipalKind } from '@wasteflow/ledger';
import { ALLOWED_KINDS, PUBLIC_ROUTE } from './access.decorators';
import { Forbidden, Unauthenticated } from './access.errors';

/**
 * 401 without a valid bearer token, 403 when the token's kind may not call the route. Runs before any
 * body validation or handler, so a refused request appends nothing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { principal?: Principal }>();
    const principal = await this.tokens.authenticate(bearerOf(request.headers.authorization));
    if (!principal) throw new Unauthenticated();
    request.principal = principal;
    const allowed = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(ALLOWED_KINDS, targets);
    if (!allowed || !allowed.includes(principal.kind)) {
      throw new Forbidden(`a ${principal.kind} token may not call this route`, { allowed: allowed ?? [] });
    }
    return true;
  }
}

function bearerOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
