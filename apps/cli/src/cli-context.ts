import { randomUUID } from 'node:crypto';
import { DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import { readSettings, type Environment, type SettingsOf } from '@wasteflow/config';
import { CLOCK, createEventStore, EVENT_STORE, systemClock, type EventStore } from '@wasteflow/event-store';
import {
  eventStoreConfigFor,
  LedgerModule,
  requestHash,
  storeSettingsOf,
  type CommandEnvelope,
  type Principal,
} from '@wasteflow/ledger';

/**
 * Where the CLI prints (the token goes to `out` alone, scriptable; everything else to `err`) and the
 * environment it runs in (a test's own; unset: the process's): commands read it through `cliSettings`.
 */
export interface CliIo {
  readonly env?: Environment;
  out(text: string): void;
  err(text: string): void;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

export type CliSettings = SettingsOf<'cli'>;

const read = new WeakMap<CliIo, CliSettings>();

/**
 * The CLI's settings (libs/config: the store's, the calendar, WASTEFLOW_TOKEN, WASTEFLOW_API_URL), read
 * and checked once per io; a bad one is a ConfigurationError listing every bad variable.
 */
export function cliSettings(io: CliIo): CliSettings {
  let settings = read.get(io);
  if (settings === undefined) {
    settings = readSettings('cli', io.env);
    read.set(io, settings);
  }
  return settings;
}

/** The operator at the console: an admin acting through the CLI (actor `admin:cli`). */
export const CLI_PRINCIPAL: Principal = { kind: 'admin', tokenId: 'cli' };

/** The event store of the environment (WASTEFLOW_STORE, WASTEFLOW_DATA_DIR, DATABASE_URL …, as the api). */
@Global()
@Module({})
class CliStorageModule implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  static forSettings(cli: CliSettings): DynamicModule {
    const settings = storeSettingsOf(cli);
    return {
      module: CliStorageModule,
      providers: [
        { provide: CLOCK, useValue: systemClock },
        { provide: EVENT_STORE, useFactory: () => createEventStore(eventStoreConfigFor(settings)) },
      ],
      exports: [CLOCK, EVENT_STORE],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

@Module({})
class CliModule {
  static forSettings(settings: CliSettings): DynamicModule {
    return {
      module: CliModule,
      // The same command handlers as the api; the process managers stay with the api.
      imports: [CliStorageModule.forSettings(settings), LedgerModule.forRoot({ runProcessManagers: false })],
    };
  }
}

/**
 * Runs `work` with the ledger of the environment (a Nest application context: the same handlers and
 * writer as the api), then closes the store. Commands that write use `envelope` for their Idempotency-Key.
 */
export async function withLedger<T>(
  io: CliIo,
  work: (context: INestApplicationContext) => Promise<T>,
): Promise<T> {
  const app = await NestFactory.createApplicationContext(CliModule.forSettings(cliSettings(io)), {
    logger: ['error'],
  });
  try {
    await app.init();
    return await work(app);
  } finally {
    await app.close();
  }
}

/** An envelope for one CLI write: a fresh Idempotency-Key (`cli-<uuid>`) unless the operator gives one. */
export function cliEnvelope(route: string, body: unknown, idempotencyKey?: string): CommandEnvelope {
  return {
    principal: CLI_PRINCIPAL,
    idempotencyKey: idempotencyKey ?? `cli-${randomUUID()}`,
    correlationId: randomUUID(),
    requestHash: requestHash({ route, params: {}, body }),
  };
}
