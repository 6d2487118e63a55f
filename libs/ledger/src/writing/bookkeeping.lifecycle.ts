import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@wasteflow/event-store';
import { migrateLegacyIdempotencyRecords } from './legacy-bookkeeping';

/**
 * On start, before the first request is served: the idempotency records an older version kept in the log
 * are copied into the store's bookkeeping (docs/adr/0008). Once per log: later starts search only what
 * was appended since.
 */
@Injectable()
export class LegacyBookkeepingMigration implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bookkeeping');

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async onApplicationBootstrap(): Promise<void> {
    const result = await migrateLegacyIdempotencyRecords(this.store);
    if (result.found === 0) return;
    this.logger.log(
      `copied ${result.imported} idempotency record(s) of an older version from the log into the bookkeeping` +
        (result.malformed > 0 ? ` (${result.malformed} malformed, left in the log only)` : ''),
    );
    if (result.malformed > 0)
      this.logger.warn(`${result.malformed} legacy idempotency record(s) were malformed`);
  }
}
