import { Inject, Injectable, Optional } from '@nestjs/common';
import { CLOCK, EVENT_STORE, type Clock, type EventStore, type JsonObject } from '@wasteflow/event-store';
import type { DecideOptions } from '@wasteflow/domain';
import { DomainError } from '@wasteflow/domain';
import { PeopleRecords } from '../people/people-records';
import { personIdFrom } from '../people/person-cipher';
import { ConcurrencyExhausted, IdempotencyKeyReused, KindNotAllowed } from '../writing/ledger-errors';
import { LedgerWriter, type WriteContext, type WriteOutcome } from '../writing/ledger-writer';
import { WriteGroup, type GroupItem, type GroupResult } from '../writing/write-group';
import { DECIDE_OPTIONS } from './decide-options';
import { freshEntropy, randomPartFrom } from './derived-ids';
import type { CommandEnvelope, PlanContext, UseCase } from './use-case';

/**
 * Runs use cases: checks the token kind, takes `recordedAt` from the injected clock, and hands the plan
 * to the LedgerWriter (one request) or to a WriteGroup (a bulk request). Callers reach it by a use case's
 * name through LedgerCommands (ADR 0020).
 */
@Injectable()
export class UseCaseRunner {
  constructor(
    private readonly writer: LedgerWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(DECIDE_OPTIONS) private readonly options: DecideOptions,
    @Optional() people?: PeopleRecords,
  ) {
    this.people = people ?? new PeopleRecords(store);
  }

  private readonly people: PeopleRecords;

  async run<I, R extends JsonObject>(
    useCase: UseCase<I, R>,
    envelope: CommandEnvelope,
    input: I,
  ): Promise<WriteOutcome<R>> {
    const stored = new Set<string>();
    const item = this.item(useCase, envelope, input, stored);
    try {
      return await this.writer.execute(item.context, item.decide as GroupItem<R>['decide']);
    } catch (error) {
      await this.discardIfRefused(error, stored);
      throw error;
    }
  }

  /**
   * The people records this command stored (new ids only) are removed when the command is refused for
   * sure — by the domain, under a reused key, or after its retries ran out — since no event will ever
   * name them. After any other failure (the store down: the commit may have happened) they stay.
   */
  private async discardIfRefused(error: unknown, stored: ReadonlySet<string>): Promise<void> {
    if (stored.size === 0) return;
    const refused =
      error instanceof DomainError ||
      error instanceof IdempotencyKeyReused ||
      error instanceof ConcurrencyExhausted;
    if (refused) await this.people.discard([...stored]);
  }

  /** One item of a bulk request; throws KindNotAllowed when the token may not run it. */
  item<I, R extends JsonObject>(
    useCase: UseCase<I, R>,
    envelope: CommandEnvelope,
    input: I,
    stored: Set<string> = new Set(),
  ): GroupItem<R> {
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
      personId: (role) => personIdFrom(entropy, role),
    };
    const decide = async (unitOfWork: Parameters<GroupItem<R>['decide']>[0]) => {
      const decision = await useCase.plan(input, plan, unitOfWork);
      // sealed and stored before the commit that names them; a retried plan names the same ids, and an id
      // stored already (or erased) is left as it is
      if (decision.people?.length) for (const id of await this.people.record(decision.people)) stored.add(id);
      return decision;
    };
    return { context, decide, stored };
  }

  async runGroup(items: readonly GroupItem[]): Promise<GroupResult[]> {
    const results = await new WriteGroup(this.writer, this.store).run(items);
    for (const [i, result] of results.entries()) {
      const { stored } = items[i];
      if (!result.ok && stored) await this.discardIfRefused(result.error, stored);
    }
    return results;
  }
}
