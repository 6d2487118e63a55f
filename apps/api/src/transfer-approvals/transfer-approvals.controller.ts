import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, type Provider } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import type { DataSource } from 'typeorm';
import { GrantTransferApprovalCommand, type Principal } from '@wasteflow/ledger';
import {
  readScopeOf,
  TransferApprovalsQuery,
  type TransferApprovalPage,
  type TransferApprovalView,
} from '@wasteflow/projections';
import { readScoped } from '@wasteflow/integration';
import { TransferApprovalNotFound } from '@wasteflow/domain';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiProblems, ApiWrite } from '../common/openapi';
import { TransferApprovalNoPipe } from '../common/path-params';
import { envelopeOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { respond } from '../common/write-response';
import { ReadQueryDto } from '../read-side/indicators.dto';
import { PagedReadQueryDto } from '../read-side/inventory.dto';
import { ReadYourWrites } from '../read-side/read-your-writes';
import {
  GrantTransferApprovalDto,
  GrantTransferApprovalResponseDto,
  TransferApprovalPageDto,
  TransferApprovalViewDto,
} from './transfer-approvals.dto';

export const GRANT_TRANSFER_APPROVAL_ROUTE = 'POST /v1/transfer-approvals';

export const TRANSFER_APPROVALS_PROVIDERS: Provider[] = [
  {
    provide: TransferApprovalsQuery,
    useFactory: (dataSource: DataSource) => new TransferApprovalsQuery(dataSource),
    inject: [getDataSourceToken()],
  },
];

/** POST /v1/transfer-approvals (跨省转移审批, the regulator of the sending province). */
@ApiTags('transfer approvals')
@Controller('v1/transfer-approvals')
export class GrantTransferApprovalController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @Allow('regulator')
  @ApiWrite({
    summary: 'Grant a cross-province transfer approval (the regulator of the shipper’s province)',
    description:
      'TransferApprovalGranted in `transfer-approval-<approvalNo>`. The regulator’s token holds the shipper’s ' +
      'province as a 2-digit region and hazardous waste (403 transfer-approval-outside-province); the receiver ' +
      'is in another province (422 transfer-approval-same-province); the validity is at most 12 months ' +
      '(422 transfer-approval-validity-exceeded); the number is new (409 transfer-approval-already-granted). ' +
      'A hazardous manifest to that receiver names it (transferApprovalNo) and its receipt draws the accepted mass.',
    response: GrantTransferApprovalResponseDto,
  })
  async grant(
    @WriteRequest() write: WriteRequestInfo,
    @Body() body: GrantTransferApprovalDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const envelope = envelopeOf(write, GRANT_TRANSFER_APPROVAL_ROUTE);
    return respond(reply, await this.commands.execute(new GrantTransferApprovalCommand(envelope, body)));
  }
}

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
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Cross-province transfer approvals the caller may read, newest first, with what is left',
    description:
      'A party sees those naming it as shipper or receiver; a regulator for hazardous waste those with the shipper ' +
      'or the receiver in one of its regions; an auditor all.',
  })
  @ApiOkResponse({ type: TransferApprovalPageDto })
  @ApiProblems(400, 401, 403, 503)
  async list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PagedReadQueryDto,
  ): Promise<TransferApprovalPage> {
    await this.readYourWrites.reach(query.minPosition, 'transferApprovals');
    return this.approvals.list(readScopeOf(principal), {
      page: query.page ?? 1,
      pageSize: query.pageSize ?? 50,
    });
  }

  @Get(':approvalNo')
  @Allow('party', 'regulator', 'auditor')
  @ApiBearerAuth()
  @ApiParam({ name: 'approvalNo', example: '浙环危转〔2026〕12号' })
  @ApiOperation({
    summary: 'One cross-province transfer approval: approved, drawn and remaining mass, and each draw',
    description:
      'Scoped as the list: an approval the caller may not read and one that does not exist are the same 403; ' +
      'only an auditor learns 404.',
  })
  @ApiOkResponse({ type: TransferApprovalViewDto })
  @ApiProblems(400, 401, 403, 404, 503)
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
