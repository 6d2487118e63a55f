import { WriteGroup } from '@wasteflow/ledger';
import { AT, describeEachStore, HW08_CODE, sendCommands } from './support/fixtures';
import type { TestStore } from './support/test-app';
import { seededApp } from './support/seeded-app';

/**
 * Issue 10 row 1 (bulk half): `POST /v1/commands` with 1,000 valid items must not hold the event loop for
 * a second: other requests (here /health, asked every 20 ms meanwhile) are served while it runs.
 *
 * Two figures, each the longest event-loop stall (the longest gap between the ticks of a 5 ms timer, the
 * gap still open at the end included): over the whole request, and over the part the write path spends
 * deciding and committing the items (WriteGroup.run, measured in place).
 * The write path lets the loop in between items (every 10 ms): its longest stall is a commit or a slice,
 * a small part of its time — before, it held the loop for all of it (one stall as long as the write
 * phase, 0.4 s on a quiet machine, 3.6 s on a loaded one). The bounds are generous (the machine is
 * shared): under a second, and under half of the phase. The rest of the request's stall is the edge's
 * (body parsing and the per-item validation in apps/api/src/submit-commands, printed here; see
 * docs/performance.md, "A bulk request and the event loop").
 */

const ITEMS = 1000;
const BOUND_MS = 1000;

/** The longest stretch without a turn of the event loop, from now until `stop()` (in ms). */
function stallMeter(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(longest, performance.now() - last);
    },
  };
}

const SUITE = 'a bulk request of 1,000 items and the event loop';
describeEachStore(SUITE, (kind: TestStore) => {
  const app = seededApp(kind, SUITE, __filename, 'bulk-loop');

  it(`never holds the loop for ${BOUND_MS} ms: /health is answered meanwhile`, async () => {
    const commands = Array.from({ length: ITEMS }, (_, i) => ({
      type: 'generate-waste',
      idempotencyKey: `bulk-loop-${kind}-${i}`,
      body: { category: 'hazardous', wasteCode: HW08_CODE, massKg: 1 + (i % 50), occurredAt: AT.generated },
    }));
    let writeMs = 0;
    let writeStallMs = 0;
    const run = WriteGroup.prototype.run;
    const spy = jest.spyOn(WriteGroup.prototype, 'run').mockImplementation(async function (
      this: WriteGroup,
      items,
    ) {
      const meter = stallMeter();
      const started = performance.now();
      try {
        return await run.call(this, items);
      } finally {
        writeMs = performance.now() - started;
        writeStallMs = meter.stop();
      }
    });
    const health: number[] = [];
    let done = false;
    const probe = async (): Promise<void> => {
      while (!done) {
        const started = performance.now();
        const response = await app.t.http.get('/health');
        expect(response.status).toBe(200);
        health.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const whole = stallMeter();
    const started = performance.now();
    const probing = probe();
    const response = await sendCommands(app.t, app.world.tokens.generator, commands);
    const seconds = (performance.now() - started) / 1000;
    const stallMs = whole.stop();
    done = true;
    await probing;
    spy.mockRestore();
    expect(response.status).toBe(200);
    expect((response.body.results as { status: number }[]).filter((r) => r.status === 201)).toHaveLength(
      ITEMS,
    );
    console.log(
      `[bulk ${kind}] ${ITEMS} items in ${seconds.toFixed(2)} s: longest event-loop stall ${stallMs.toFixed(0)} ms ` +
        `over the request, ${writeStallMs.toFixed(0)} ms over its ${writeMs.toFixed(0)} ms of writing; ` +
        `${health.length} /health answers meanwhile, slowest ${Math.max(...health).toFixed(0)} ms`,
    );
    expect(writeMs).toBeGreaterThan(0);
    expect(writeStallMs).toBeLessThan(BOUND_MS);
    expect(writeStallMs).toBeLessThan(writeMs / 2);
    // /health was answered while it ran, not only once the bulk was done
    expect(health.length).toBeGreaterThan(1);
  });
});
