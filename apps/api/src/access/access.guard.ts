import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { PrincipalKind } from '@wasteflow/ledger';
import { Forbidden } from '@wasteflow/integration';
import { ALLOWED_KINDS, PUBLIC_ROUTE, SCRAPE_ALLOWED } from './access.decorators';
import { Unauthenticated } from './access.errors';
import type { AuthenticatedRequest } from './request-authentication';

/**
 * The last word on who may call a route, after the `onRequest` hook (request-authentication.ts) has
 * authenticated the bearer token before the body was read: 401 without the principal it found, 403 when
 * the token's kind may not call the route. It reads no token itself, and runs before any body
 * validation or handler, so a refused request appends nothing.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, targets)) return true;
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (request.scraper && this.reflector.getAllAndOverride<boolean>(SCRAPE_ALLOWED, targets)) return true;
    const principal = request.principal;
    if (!principal) throw new Unauthenticated();
    const allowed = this.reflector.getAllAndOverride<PrincipalKind[] | undefined>(ALLOWED_KINDS, targets);
    if (!allowed || !allowed.includes(principal.kind)) {
      throw Forbidden.kindNotAllowed(principal.kind, allowed ?? []);
    }
    return true;
  }
}
