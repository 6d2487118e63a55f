import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, EVENT_STORE, type Clock, type EventStore, type JsonObject } from '@wasteflow/event-store';
import type { DecideOptions } from '@wasteflow/domain';
import { KindNotAllowed } from '../writing/ledger-errors';
import { LedgerWriter, type WriteContext, type WriteOutcome } from '../writing/ledger-writer';
import { WriteGroup, type GroupItem, type GroupResult } from '../writing/write-group';
import { DECIDE_OPTIONS } from './decide-options';
import { freshEntropy, randomPartFrom } from './derived-ids';
import type { CommandEnvelope, PlanContext, UseCase } from './use-case';

/**
 * Runs use cases: checks the token kind, takes `recordedAt` from the injected clock, and hands the plan
 * to the LedgerWriter (one request) or to a WriteGroup (a bulk request). The @CommandHandler classes are
 * one line over it.
 */
@Injectable()
export class UseCaseRunner {
  constructor(
    private readonly writer: LedgerWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DECIDE_OPTIONS) private readonly options: DecideOptions,
  ) {}

  run<I, R extends JsonObject>(
    useCase: UseCase<I, R>,
    envelope: CommandEnvelope,
    input: I,
  ): Promise<WriteOutcome<R>> {
    const item = this.item(useCase, envelope, input);
    return this.writer.execute(item.context, item.decide as GroupItem<R>['decide']);
  }

  /** One item of a bulk request; throws KindNotAllowed when the token may not run it. */
  item<I, R extends JsonObject>(useCase: UseCase<I, R>, envelope: CommandEnvelope, input: I): GroupItem<R> {
    const { principal } = envelope;
    if (!useCase.allowed.includes(principal.kind)) {
      throw new KindNotAllowed(principal.kind, useCase.action, useCase.allowed);
    }
    const recordedAt = this.clock.now();
    // drawn at the edge; a caller without one (the CLI, tests) gets fresh entropy here, once per command
    const entropy = envelope.entropy ?? freshEntropy();
    const context: WriteContext = {
      principal,
      idempotencyKey: envelope.idempotencyKey,
      requestHash: envelope.requestHash,
      correlationId: envelope.correlationId,
      recordedAt,
    };
    const plan: PlanContext = {
      principal,
      recordedAt: recordedAt.toISOString(),
      options: this.options,
      randomPart: (purpose) => randomPartFrom(entropy, purpose),
    };
    return { context, decide: (unitOfWork) => useCase.plan(input, plan, unitOfWork) };
  }

  runGroup(items: readonly GroupItem[]): Promise<GroupResult[]> {
    return new WriteGroup(this.writer, this.store).run(items);
  }
}
