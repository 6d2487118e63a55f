import { randomUUID } from 'node:crypto';
import type { DecideOptions, DomainEvent } from '@wasteflow/domain';
import { sealEvents, type EventToAppend, type JsonObject, type RecordedEvent } from '@wasteflow/event-store';
import { InMemoryEventStore } from '@wasteflow/event-store/testing/in-memory-event-store';
import { Forbidden } from '@wasteflow/integration';
import {
  LedgerCommands,
  LedgerWriter,
  PeopleRecords,
  requestHash,
  USE_CASE_ACCESS,
  UseCaseRunner,
  UseCases,
  type CommandEnvelope,
  type InputOf,
  type Principal,
  type UseCaseType,
} from '@wasteflow/ledger';
import { parseIdempotencyKey } from '../../common/idempotency-key';
import { readPathParam } from '../../common/path-params';
import { createValidationPipe } from '../../common/validation-pipe';
import { writeBody } from '../../common/write-response';
import { ProblemDetailsFilter } from '../../problems/problem-details.filter';
import { inputOf, pathParamsOf } from '../write-controller';
import { WRITES } from '../write-registry';

/** A write request at this level: a use case by name, who asks, and its body with the path parameters. */
export interface ScenarioRequest<T extends UseCaseType = UseCaseType> {
  readonly type: T;
  readonly principal: Principal;
  /** The body of the single request plus its path parameters' fields (a bulk item's body). */
  readonly body: Record<string, unknown>;
  /** Default: a new one per request. */
  readonly idempotencyKey?: unknown;
}

/** What a request did: 201 and the body the route answers, or a problem document; and what it appended. */
export interface ScenarioAnswer {
  readonly status: number;
  readonly body: JsonObject;
  /** The events this request appended, in order (none for a refusal or a replay). */
  readonly events: readonly { readonly stream: string; readonly type: string; readonly data: JsonObject }[];
}

export interface ScenarioOptions {
  /** The server's clock (`recordedAt`); default 2025-03-03T12:00:00Z, after the domain fixtures' day. */
  readonly now?: string;
  readonly decideOptions?: DecideOptions;
}

const validation = createValidationPipe();
const problems = new ProblemDetailsFilter();

/**
 * The given/when/then level over the write registry, without a socket: given streams (domain events as
 * the fixtures build them), when a request (use case + principal + body), then the events it appended or
 * the problem document it was refused with. A request goes the way of its HTTP route — the token kind
 * (`allowed`), the Idempotency-Key, each path parameter through its pipe, the body through the app's
 * validation pipe as the definition's DTO, the request hash over route template + parameters + body —
 * then the ledger over an in-memory store, errors through the app's problem filter. What only HTTP shows
 * (headers, body limits, content types, authentication) stays in test/*.e2e-spec.ts.
 */
export class WriteScenario {
  readonly store = new InMemoryEventStore();
  private readonly commands: LedgerCommands;

  constructor(options: ScenarioOptions = {}) {
    const now = new Date(options.now ?? '2025-03-03T12:00:00Z');
    const runner = new UseCaseRunner(
      new LedgerWriter(this.store),
      this.store,
      { now: () => now },
      options.decideOptions ?? {},
      new PeopleRecords(this.store),
    );
    this.commands = new LedgerCommands(runner, new UseCases());
  }

  /** Appends the given domain events to their (new) streams, sealed as the ledger seals them. */
  async given(streams: Readonly<Record<string, readonly DomainEvent[]>>): Promise<this> {
    for (const [stream, events] of Object.entries(streams)) {
      const toAppend: EventToAppend[] = sealEvents(
        events.map((event) => ({
          id: randomUUID(),
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: event.data as unknown as JsonObject,
          metadata: {},
        })),
        null,
      );
      await this.store.append(stream, toAppend, 'no_stream');
    }
    return this;
  }

  /** Runs one request as its route would; never throws for a refusal (the answer carries the problem). */
  async when<T extends UseCaseType>(request: ScenarioRequest<T>): Promise<ScenarioAnswer> {
    const before = await this.store.headPosition();
    const entry = WRITES[request.type];
    const instance = entry.route.replace(/^POST /, '');
    try {
      const allowed: readonly string[] = USE_CASE_ACCESS[request.type];
      if (!allowed.includes(request.principal.kind))
        throw Forbidden.kindNotAllowed(request.principal.kind, [...USE_CASE_ACCESS[request.type]]);
      const idempotencyKey = parseIdempotencyKey(
        'idempotencyKey' in request ? request.idempotencyKey : `scenario-${randomUUID()}`,
      );
      const params = pathParamsOf(entry);
      const rest: Record<string, unknown> = { ...request.body };
      const values = params.map(({ name, field }) => {
        delete rest[field];
        return readPathParam(name, request.body[field]);
      });
      const dto = (await validation.transform(rest, { type: 'body', metatype: entry.body })) as object;
      const envelope: CommandEnvelope = {
        principal: request.principal,
        idempotencyKey,
        correlationId: 'scenario',
        requestHash: requestHash({
          route: entry.route,
          params: Object.fromEntries(params.map((p, i) => [p.name, values[i]])),
          body: rest,
        }),
      };
      const input = inputOf(dto, params, values) as InputOf<T>;
      const outcome = await this.commands.run(request.type, envelope, input);
      return { status: 201, body: writeBody(outcome), events: await this.appendedSince(before) };
    } catch (error) {
      const problem = problems.toProblem(error, instance);
      return {
        status: problem.status,
        body: problem as unknown as JsonObject,
        events: await this.appendedSince(before),
      };
    }
  }

  private async appendedSince(position: bigint): Promise<ScenarioAnswer['events']> {
    const events: RecordedEvent[] = await this.store.readAll({ after: position });
    return events.map((e) => ({ stream: e.stream, type: e.type, data: e.data }));
  }
}
