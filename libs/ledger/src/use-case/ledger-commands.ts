import { Injectable } from '@nestjs/common';
import type { JsonObject } from '@wasteflow/event-store';
import type { WriteOutcome } from '../writing/ledger-writer';
import type { GroupItem, GroupResult } from '../writing/write-group';
import type { CommandEnvelope, UseCase } from './use-case';
import { UseCases, type InputOf, type UseCaseType } from './use-case-registry';
import { UseCaseRunner } from './use-case-runner';

/** One item of a bulk request (POST /v1/commands, an import), validated at the edge. */
export interface BulkItem {
  readonly type: UseCaseType;
  readonly envelope: CommandEnvelope;
  readonly input: unknown;
}

/**
 * The write side's entry point for every caller (the api's routes, POST /v1/commands, imports, the CLI):
 * a use case by its name, run by the UseCaseRunner. It replaces the @nestjs/cqrs command bus, which only
 * looked up a handler that called the runner (ADR 0020).
 */
@Injectable()
export class LedgerCommands {
  constructor(
    private readonly runner: UseCaseRunner,
    private readonly useCases: UseCases,
  ) {}

  /** One request: authorised (token kind), planned, committed, retried on conflict, replayed by its key. */
  run<T extends UseCaseType>(type: T, envelope: CommandEnvelope, input: InputOf<T>): Promise<WriteOutcome> {
    return this.runner.run(this.useCases.get(type) as UseCase<unknown, JsonObject>, envelope, input);
  }

  /**
   * Up to 1,000 commands, each authorised and decided on its own, in order (a later item may depend on an
   * earlier one), appended in grouped commits (see WriteGroup). One result per item, in order: the
   * outcome, or the error that refused it (nothing of a refused item is appended).
   */
  async runBulk(items: readonly BulkItem[]): Promise<GroupResult[]> {
    const results: (GroupResult | undefined)[] = new Array(items.length);
    const group: { index: number; item: GroupItem }[] = [];
    items.forEach((item, index) => {
      const useCase = this.useCases.get(item.type) as UseCase<unknown, JsonObject>;
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
