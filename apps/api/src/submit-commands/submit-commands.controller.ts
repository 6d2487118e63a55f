import { Body, Controller, HttpCode, Logger, Post, Res, type Type } from '@nestjs/common';
import { ApiBearerAuth, ApiExtraModels, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { FastifyReply } from 'fastify';
import { formatPosition, type JsonObject } from '@wasteflow/event-store';
import { LedgerCommands, maxPosition, requestHash, type BulkItem, type UseCaseType } from '@wasteflow/ledger';
import { Allow } from '../access/access.decorators';
import { parseIdempotencyKey } from '../common/idempotency-key';
import { ApiProblems, ProblemDocumentDto } from '../common/openapi';
import { readPathParam } from '../common/path-params';
import { entropyOf, WriteRequest, type WriteRequestInfo } from '../common/write-request';
import { LEDGER_POSITION_HEADER, writeBody } from '../common/write-response';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { ProblemDetailsFilter } from '../problems/problem-details.filter';
import { pathParamsOf } from '../writes/write-controller';
import { BULK_ITEM_DTOS, BULK_TYPES, WRITES } from '../writes/write-registry';
import { SubmitCommandsDto, SubmitCommandsResponseDto } from './submit-commands.dto';

const ITEM_KEYS = new Set(['type', 'idempotencyKey', 'body']);

function isBulkType(value: unknown): value is UseCaseType {
  return typeof value === 'string' && (BULK_TYPES as readonly string[]).includes(value);
}

interface ItemResult {
  index: number;
  type: string;
  status: number;
  replayed?: true;
  body: JsonObject;
}

@ApiTags('bulk')
@Controller('v1/commands')
export class SubmitCommandsController {
  private readonly logger = new Logger('SubmitCommands');
  private readonly problems = new ProblemDetailsFilter();

  constructor(private readonly commands: LedgerCommands) {}

  @Post()
  @HttpCode(200)
  @Allow('admin', 'party', 'regulator')
  @ApiOperation({
    summary: 'Submit up to 1,000 commands (any writer)',
    description:
      'Each item has its own Idempotency-Key and is validated, authorised and decided on its own, in order (a later item may depend on an earlier one); the answer has one result per item: 201 with the body of the single request, or the problem that refused it (nothing of it appended). Successful items are committed in groups.',
  })
  @ApiBearerAuth()
  @ApiExtraModels(ProblemDocumentDto)
  @ApiResponse({ status: 200, type: SubmitCommandsResponseDto, description: 'One result per item, in order' })
  @ApiProblems(400, 401, 403)
  async submit(
    @WriteRequest('bulk') write: WriteRequestInfo,
    @Body() body: SubmitCommandsDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ results: ItemResult[] }> {
    const results: ItemResult[] = new Array(body.commands.length);
    const accepted: { index: number; type: UseCaseType; item: BulkItem }[] = [];
    for (const [index, raw] of body.commands.entries()) {
      try {
        const { type, item } = await this.itemOf(write, raw);
        accepted.push({ index, type, item });
      } catch (error) {
        results[index] = this.refused(index, typeof raw.type === 'string' ? raw.type : '', error);
      }
    }
    const outcomes = await this.commands.runBulk(accepted.map((a) => a.item));
    const written: { position: bigint }[] = [];
    accepted.forEach((a, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) {
        written.push(outcome.outcome);
        results[a.index] = {
          index: a.index,
          type: a.type,
          status: 201,
          ...(outcome.outcome.replayed ? { replayed: true as const } : {}),
          body: writeBody(outcome.outcome),
        };
      } else {
        results[a.index] = this.refused(a.index, a.type, outcome.error);
      }
    });
    void reply.header(LEDGER_POSITION_HEADER, formatPosition(maxPosition(written)));
    return { results };
  }

  /** Validates one item like its single request: type, key, body DTO (whitelist), path parameters. */
  private async itemOf(
    write: WriteRequestInfo,
    raw: Record<string, unknown>,
  ): Promise<{ type: UseCaseType; item: BulkItem }> {
    const unknown = Object.keys(raw).filter((key) => !ITEM_KEYS.has(key));
    if (unknown.length > 0)
      throw new InvalidRequest(
        unknown.map((key) => ({
          field: key,
          rule: 'unknown-field',
          message: `property ${key} should not exist`,
        })),
      );
    const type = raw.type;
    if (!isBulkType(type))
      throw InvalidRequest.field('type', 'isIn', `type must be one of ${BULK_TYPES.join(', ')}`);
    const entry = WRITES[type];
    const idempotencyKey = parseIdempotencyKey(raw.idempotencyKey, 'idempotencyKey');
    const body = raw.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw InvalidRequest.field('body', 'isObject', 'body must be an object');
    const dto = plainToInstance(BULK_ITEM_DTOS.get(type) as Type<object>, body);
    const errors = await validate(dto, {
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      validationError: { target: false, value: false },
    });
    if (errors.length > 0) throw InvalidRequest.fromValidationErrors(errors);
    const { route } = entry;
    const params: Record<string, string> = {};
    const hashed: Record<string, unknown> = { ...(body as Record<string, unknown>) };
    const input: Record<string, unknown> = { ...dto };
    for (const { name, field } of pathParamsOf(entry)) {
      params[name] = readPathParam(name, (body as Record<string, unknown>)[field]);
      delete hashed[field];
      input[field] = params[name];
    }
    return {
      type,
      item: {
        type,
        input,
        envelope: {
          principal: write.principal,
          idempotencyKey,
          correlationId: write.correlationId,
          requestHash: requestHash({ route, params, body: hashed }),
          entropy: entropyOf(write, idempotencyKey),
        },
      },
    };
  }

  private refused(index: number, type: string, error: unknown): ItemResult {
    const problem = this.problems.toProblem(error, `/v1/commands#/commands/${index}`);
    if (problem.status >= 500) {
      this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    }
    return { index, type, status: problem.status, body: problem as unknown as JsonObject };
  }
}
