import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@wasteflow/ledger';
import { PartyRegistry, partyView, type PartyView } from '@wasteflow/integration';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems } from '../common/openapi';

export type WhoAmI =
  | { readonly kind: 'admin' | 'auditor'; readonly tokenId: string }
  | { readonly kind: 'party'; readonly tokenId: string; readonly party: PartyView | null }
  | {
      readonly kind: 'regulator';
      readonly tokenId: string;
      readonly regions: readonly string[];
      readonly categories: readonly string[];
    };

/** Who a token is: what the console shows after sign-in, and what a script checks before it writes. */
@ApiTags('access')
@Controller('v1/whoami')
export class WhoAmIController {
  constructor(private readonly parties: PartyRegistry) {}

  @Get()
  @Allow('admin', 'party', 'regulator', 'auditor')
  @ApiOperation({
    summary:
      'The calling token: its kind and id; a party’s registration and permits, a regulator’s regions and categories',
    description: 'Any valid token; 401 otherwise. Never shows the token itself.',
  })
  @ApiProblems(401)
  async whoami(@CurrentPrincipal() principal: Principal): Promise<WhoAmI> {
    switch (principal.kind) {
      case 'admin':
      case 'auditor':
        return { kind: principal.kind, tokenId: principal.tokenId };
      case 'regulator':
        return {
          kind: 'regulator',
          tokenId: principal.tokenId,
          regions: principal.districts,
          categories: principal.categories,
        };
      case 'party': {
        const state = await this.parties.find(principal.partyUscc);
        return { kind: 'party', tokenId: principal.tokenId, party: state ? partyView(state) : null };
      }
      default: {
        const unknown: never = principal;
        throw new Error(`unknown principal ${JSON.stringify(unknown)}`);
      }
    }
  }
}
