import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { Command } from '@nestjs/cqrs';
import type { JsonObject } from '@wasteflow/event-store';
import { cancelManifest } from '../cancel-manifest/cancel-manifest.command';
import { consolidateBatches } from '../consolidate-batches/consolidate-batches.command';
import { correctMass } from '../correct-mass/correct-mass.command';
import { generateWaste } from '../generate-waste/generate-waste.command';
import { grantPermit } from '../grant-permit/grant-permit.command';
import { issueManifest } from '../issue-manifest/issue-manifest.command';
import { issueToken } from '../issue-token/issue-token.command';
import { pickUpManifest } from '../pick-up-manifest/pick-up-manifest.command';
import { handOverManifest } from '../hand-over-manifest/hand-over-manifest.command';
import { receiveManifest } from '../receive-manifest/receive-manifest.command';
import { registerParty } from '../register-party/register-party.command';
import { revokePermit } from '../revoke-permit/revoke-permit.command';
import { splitBatch } from '../split-batch/split-batch.command';
import { treatWaste } from '../treat-waste/treat-waste.command';
import type { CommandEnvelope, UseCase } from '../use-case/use-case';
import { UseCaseRunner } from '../use-case/use-case-runner';
import type { GroupItem, GroupResult } from '../writing/write-group';

/** Every use case by its bulk name (POST /v1/commands `type`). */
export const USE_CASES = {
  'register-party': registerParty,
  'grant-permit': grantPermit,
  'revoke-permit': revokePermit,
  'issue-token': issueToken,
  'generate-waste': generateWaste,
  'split-batch': splitBatch,
  'consolidate-batches': consolidateBatches,
  'issue-manifest': issueManifest,
  'pick-up-manifest': pickUpManifest,
  'hand-over-manifest': handOverManifest,
  'receive-manifest': receiveManifest,
  'cancel-manifest': cancelManifest,
  'treat-waste': treatWaste,
  'correct-mass': correctMass,
} as const;

export type UseCaseType = keyof typeof USE_CASES;
export const USE_CASE_TYPES = Object.keys(USE_CASES) as UseCaseType[];

export function isUseCaseType(value: unknown): value is UseCaseType {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(USE_CASES, value);
}

/** One item of a bulk request, validated at the edge. */
export interface BulkItem {
  readonly type: UseCaseType;
  readonly envelope: CommandEnvelope;
  readonly input: unknown;
}

/**
 * POST /v1/commands: up to 1,000 commands, each authorised and decided on its own, in order (a later
 * item may depend on an earlier one), appended in grouped commits (see WriteGroup). One result per item,
 * in order: the outcome, or the error that refused it (nothing of a refused item is appended).
 */
export class SubmitCommandsCommand extends Command<GroupResult[]> {
  constructor(readonly items: readonly BulkItem[]) {
    super();
  }
}

@CommandHandler(SubmitCommandsCommand)
export class SubmitCommandsHandler implements ICommandHandler<SubmitCommandsCommand> {
  constructor(private readonly runner: UseCaseRunner) {}

  async execute(command: SubmitCommandsCommand): Promise<GroupResult[]> {
    const results: (GroupResult | undefined)[] = new Array(command.items.length);
    const group: { index: number; item: GroupItem }[] = [];
    command.items.forEach((item, index) => {
      const useCase = USE_CASES[item.type] as UseCase<unknown, JsonObject>;
      try {
        group.push({ index, item: this.runner.item(useCase, item.envelope, item.input) });
      } catch (error) {
        results[index] = { ok: false, error };
      }
    });
    const grouped = await this.runner.runGroup(group.map((g) => g.item));
    group.forEach((g, i) => {
      results[g.index] = grouped[i];
    });
    return results as GroupResult[];
  }
}
