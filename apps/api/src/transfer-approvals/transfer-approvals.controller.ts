import { Controller, Get, Param, Query, type Provider } from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { Principal } from '@wasteflow/ledger';
import {
  readScopeOf,
  TransferApprovalsQuery,
  type TransferApprovalPage,
  type TransferApprovalView,
} from '@wasteflow/projections';
import { readScoped } from '@wasteflow/integration';
import { TransferApprovalNotFound } from '@wasteflow/domain';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiRead } from '../common/openapi';
import { TransferApprovalNoPipe } from '../common/path-params';
import { ReadQueryDto } from '../read-side/indicators.dto';
import { PagedReadQueryDto, pagingOf } from '../read-side/inventory.dto';
import { ReadYourWrites } from '../read-side/read-your-writes';
import { TransferApprovalPageDto, TransferApprovalViewDto } from './transfer-approvals.dto';

export const TRANSFER_APPROVALS_PROVIDERS: Provider[] = [
  {
    provide: TransferApprovalsQuery,
    useFactory: (dataSource: DataSource) => new TransferApprovalsQuery(dataSource),
    inject: [getDataSourceToken()],
  },
];

/** GET /v1/transfer-approvals and /{approvalNo}: from the transfer approvals read model, scoped. */
@ApiTags('transfer approvals')
@Controller('v1/transfer-approvals')
export class TransferApprovalsController {
  constructor(
    private readonly approvals: TransferApprovalsQuery,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiRead({
    summary: 'Cross-province transfer approvals the caller may read, newest first, with what is left',
    description:
      'A party sees those naming it as shipper or receiver; a regulator for hazardous waste those with the shipper ' +
      'or the receiver in one of its regions; an auditor all.',
    ok: TransferApprovalPageDto,
    problems: [400, 401, 403, 503],
  })
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PagedReadQueryDto,
  ): Promise<TransferApprovalPage> {
    await this.readYourWrites.reach(query.minPosition, 'transferApprovals');
    return this.approvals.list(readScopeOf(principal), pagingOf(query));
  }

  @Get(':approvalNo')
  @Allow('party', 'regulator', 'auditor')
  @ApiParam({ name: 'approvalNo', example: '浙环危转〔2026〕12号' })
  @ApiRead({
    summary: 'One cross-province transfer approval: approved, drawn and remaining mass, and each draw',
    description:
      'Scoped as the list: an approval the caller may not read and one that does not exist are the same 403; ' +
      'only an auditor learns 404.',
    ok: TransferApprovalViewDto,
    problems: [400, 401, 403, 404, 503],
  })
  async one(
    @CurrentPrincipal() principal: Principal,
    @Param('approvalNo', TransferApprovalNoPipe) approvalNo: string,
    @Query() query: ReadQueryDto,
  ): Promise<Omit<TransferApprovalView, 'access'>> {
    await this.readYourWrites.reach(query.minPosition, 'transferApprovals');
    const { view } = await readScoped(principal, `transfer approval ${approvalNo}`, async () => {
      const found = await this.approvals.approval(approvalNo);
      if (found === undefined) throw new TransferApprovalNotFound(approvalNo);
      const { access, ...view } = found;
      return { view, access };
    });
    return view;
  }
}
