import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Principal, PrincipalKind } from '@wasteflow/ledger';

export const ALLOWED_KINDS = 'wasteflow:allowed-kinds';
export const PUBLIC_ROUTE = 'wasteflow:public';

/** Which kinds of token may call this route at all; finer rules (custodian, scope) come after. */
export const Allow = (...kinds: PrincipalKind[]) => SetMetadata(ALLOWED_KINDS, kinds);

/** No token needed (health, metrics, docs, the public trace page). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);

export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const request = context.switchToHttp().getRequest<{ principal?: Principal }>();
    if (!request.principal) throw new Error('route reached without an authenticated principal');
    return request.principal;
  },
);
