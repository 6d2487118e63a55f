/**
 * Rebuild throughput of the dashboard read models (indicators, inventory, alerts), not part of the tests:
 *
 *   node -r @swc-node/register libs/projections/src/indicators/testing/bench-read-models.ts [copies] [sqlite|postgres|all] [indicators,inventory,alerts]
 *
 * A few hundred movements decided by the domain (LedgerWorld), the log copied `copies` times with the
 * trace codes, manifest numbers and event ids renamed (so the copies are independent batches and
 * manifests with the same mix of events), appended once (not timed), then `runner.rebuild()` timed.
 */
import { randomUUID } from 'node:crypto';
import type { EventStore, EventToAppend, JsonObject } from '@wasteflow/event-store';
import { streamOf } from '@wasteflow/domain';
import type { Projection } from '../../runner/projection';
import { benchMain, rebuildFigures, timeRebuild, type BenchBackend } from '../../../test/rebuild-bench';
import { createAlertsProjection } from '../../alerts/alerts.projection';
import { loadReferenceData } from '../../reference/reference-data';
import { inventoryProjection } from '../../inventory/inventory.projection';
import { indicatorsProjection } from '../indicators.projection';
import { COLLECTOR, LedgerWorld, OTHER_GENERATOR, cst } from './ledger-world';

function movements(): LedgerWorld {
  const l = new LedgerWorld();
  for (let m = 1; m <= 12; m++) {
    const month = `2025-${String(m).padStart(2, '0')}`;
    for (const d of ['05', '15', '25']) {
      const day = `${month}-${d}`;
      const a = l.generate({ at: cst(`${day}T08:00`), grams: 1_000_000 + m * 1000 });
      const b = l.generate({ at: cst(`${day}T08:05`), grams: 300_000 + m, actor: OTHER_GENERATOR });
      const s = l.generate({
        at: cst(`${day}T08:10`),
        grams: 2_000_000,
        category: 'construction',
        subtype: 'muck',
      });
      l.receive(l.ship([a], { at: cst(`${day}T09:00`), receiver: COLLECTOR }), cst(`${day}T11:00`));
      l.receive(l.ship([b], { at: cst(`${day}T09:05`), receiver: COLLECTOR }), cst(`${day}T11:05`));
      const x = l.consolidate(
        [
          { traceCode: a, grams: l.heldGrams(a) },
          { traceCode: b, grams: l.heldGrams(b) },
        ],
        cst(`${day}T12:00`),
      );
      const [part] = l.split(x, [100_000], cst(`${day}T12:10`));
      const mx = l.ship([x, part], { at: cst(`${day}T13:00`) });
      l.receive(mx, cst(`${day}T16:00`), {
        [x]: { received: l.heldGrams(x) - 5_000, accepted: l.heldGrams(x) - 50_000 },
      });
      l.treat(x, 'D10', 500_000, cst(`${day}T17:00`));
      l.treat(part, 'R9', 100_000, cst(`${day}T17:05`));
      const back = l.world.findChildOf(x, 1);
      if (back !== undefined && l.world.batch(back).status !== 'none')
        l.receive(l.ship([back], { at: cst(`${day}T18:00`) }), cst(`${day}T19:00`));
      l.receive(l.ship([s], { at: cst(`${day}T13:30`) }), cst(`${day}T16:30`));
      l.treat(s, 'C2', 1_500_000, cst(`${day}T17:30`));
    }
  }
  return l;
}

function renamed(value: unknown, copy: number): unknown {
  if (typeof value === 'string') {
    if (/^\d{6}[A-Z][0-9A-Z]{6}[0-9A-Z*~$=U]+$/.test(value) && value.length >= 16) return `${value}.${copy}`;
    if (/^\d{14}$/.test(value)) return `${value}.${copy}`;
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => renamed(v, copy));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renamed(v, copy)]));
  }
  return value;
}

const ALL: Record<'indicators' | 'inventory' | 'alerts', Projection> = {
  indicators: indicatorsProjection,
  inventory: inventoryProjection,
  alerts: createAlertsProjection(loadReferenceData({})),
};

/** Appends `copies` copies of the movements' log (party streams once): answers how many events. */
async function appendCopies(store: EventStore, copies: number): Promise<number> {
  const log = movements().log;
  let appended = 0;
  for (let copy = 0; copy < copies; copy++) {
    const writes = new Map<string, EventToAppend[]>();
    for (const { event, recordedAt, actor } of log) {
      const data = (copy === 0 ? event.data : renamed(event.data, copy)) as JsonObject;
      const stream = streamOf({ ...event, data } as unknown as typeof event);
      const list = writes.get(stream) ?? [];
      list.push({
        id: randomUUID(),
        type: event.type,
        schemaVersion: event.schemaVersion,
        data,
        metadata: { actor, recordedAt, occurredAt: event.data.occurredAt },
      });
      writes.set(stream, list);
      appended += 1;
    }
    // party streams exist once
    if (copy > 0)
      for (const stream of [...writes.keys()]) if (stream.startsWith('party-')) writes.delete(stream);
    for (const [stream, events] of writes) await store.append(stream, events, 'any');
  }
  return appended;
}

async function bench(kind: BenchBackend, copies: number, only: readonly (keyof typeof ALL)[]): Promise<void> {
  let appended = 0;
  await timeRebuild(kind, {
    name: 'bench-read-models',
    projections: only.map((name) => ALL[name]),
    async append(store) {
      appended = await appendCopies(store, copies);
    },
    report: (result) =>
      `: ${appended} events appended; rebuild of ${only.join(' + ')}: ${rebuildFigures(result)}`,
  });
}

const copies = Number(process.argv[2] ?? 20);
const only = (process.argv[4]?.split(',') ?? Object.keys(ALL)) as (keyof typeof ALL)[];
benchMain(process.argv[3] ?? 'all', (kind) => bench(kind, copies, only));
