import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { JsonObject, RecordedEvent } from '@wasteflow/event-store';
import type { AlertEvent } from '@wasteflow/domain';
import { isPostgres, readModelTable } from '../database/migration-helpers';
import type { RowAccess } from '../runner/row-access';
import { defineTable } from '../runner/table';

/**
 * The life of an alert in the alerts read model (issue 16 item 7, ADR 0015): its lifecycle events
 * (AlertAcknowledged, AlertClosed on `alert-<id>`) folded into a table of their own, joined to `alert` by id
 * when read (alerts.query.ts). Raising an alert never touches it, so no step is lost to an alert row written
 * again; an alert without a row here is open.
 */
export const alertLifecycles = defineTable({
  name: 'alert_lifecycle',
  key: ['alertId'],
  columns: {
    alertId: 'text',
    /** acknowledged | closed */
    state: 'text',
    /** `{ acknowledged?, closed?, history: [...] }` (see `AlertLifecycleView` in alerts.query.ts). */
    lifecycle: 'json',
  },
});

/** Issue 16 item 7: the alert lifecycle's own table (joined to `alert` by id when read). */
export class AlertLifecycleTable1764700000270 implements MigrationInterface {
  readonly name = 'AlertLifecycleTable1764700000270';

  async up(queryRunner: QueryRunner): Promise<void> {
    const json = isPostgres(queryRunner) ? 'jsonb' : 'TEXT';
    const table = readModelTable(queryRunner, 'alert_lifecycle');
    await queryRunner.query(
      `CREATE TABLE ${table} (alert_id text PRIMARY KEY, state text NOT NULL, lifecycle ${json} NOT NULL)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE ${readModelTable(queryRunner, 'alert_lifecycle')}`);
  }
}

/**
 * One step of an alert's life into `alert_lifecycle`: the state, the acknowledgement or the closure, and the
 * history in stream order (each step with its actor, time and ledger position, for the alert's own view).
 */
export async function applyLifecycleStep(
  rows: RowAccess,
  recorded: RecordedEvent,
  event: AlertEvent,
): Promise<void> {
  const alertId = event.data.alertId;
  const before = await rows.get(alertLifecycles, { alertId });
  const lifecycle = (before?.lifecycle ?? { history: [] }) as JsonObject & { history: JsonObject[] };
  const position = recorded.position.toString();
  if (event.type === 'AlertAcknowledged') {
    const d = event.data;
    const acknowledged: JsonObject = { by: d.actorUscc, role: d.role, at: d.occurredAt, note: d.note };
    rows.put(alertLifecycles, {
      alertId,
      // a closure recorded before (a stream read out of order cannot be, but a fold is total) stays final
      state: before?.state === 'closed' ? 'closed' : 'acknowledged',
      lifecycle: {
        ...lifecycle,
        acknowledged,
        history: [...lifecycle.history, { step: 'acknowledged', ...acknowledged, position }],
      },
    });
    return;
  }
  const d = event.data;
  const closed: JsonObject = {
    by: {
      tokenId: d.regulator.tokenId,
      districts: [...d.regulator.districts],
      categories: [...d.regulator.categories],
    },
    at: d.occurredAt,
    finding: d.finding,
    closedFrom: d.closedFrom,
  };
  rows.put(alertLifecycles, {
    alertId,
    state: 'closed',
    lifecycle: {
      ...lifecycle,
      closed,
      history: [...lifecycle.history, { step: 'closed', ...closed, position }],
    },
  });
}
