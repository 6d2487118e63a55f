import { Logger } from '@nestjs/common';
import type { RecordedEvent } from '@wasteflow/event-store';
import {
  describeEachStore,
  expectNothingAppendedSince,
  expectProblem,
  Keys,
  send,
  splitBody,
} from './support/fixtures';
import { seededApp } from './support/seeded-app';
import { editStoredEvent, resealed, type StoredEventEdit } from './support/tamper';

const SUITE =
  'faults: a broken history is answered 500, logged and counted, never refused as the client’s doing';

/**
 * Integrity and configuration faults met by a command: the stream it loads holds an event edited behind
 * the ledger's back, of a type or a version this code does not know (written by a newer version, then
 * rolled back), or of another aggregate. None is the client's doing, so none may be answered as a
 * refusal (before: 201 on the edited event, 400 unknown-event-type / unsupported-schema-version, 409
 * event-not-applicable); each is a 500 `internal-error` that says nothing of the history, an error-level
 * log line naming the stream, and one more `wasteflow_faults_total{rule}` for the alert.
 */
describeEachStore(SUITE, (kind) => {
  const app = seededApp(kind, SUITE, __filename, 'faults');
  const keys = new Keys(`faults-${kind}`);

  async function faultsCounted(rule: string): Promise<number> {
    const metrics = await app.t.http.get('/metrics').set('Authorization', `Bearer ${app.t.adminToken}`);
    expect(metrics.status).toBe(200);
    const line = metrics.text.split('\n').find((l) => l.startsWith(`wasteflow_faults_total{rule="${rule}"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  }

  /** A fresh batch (never loaded by this api, so no folded state of it is cached), with `edit` applied to its first event. */
  async function batchWithEditedGeneration(
    edit: (generated: RecordedEvent) => StoredEventEdit,
  ): Promise<string> {
    const code = await app.build.generate(10);
    const [generated] = await app.t.store.readStream(`batch-${code}`);
    await editStoredEvent(app.t, kind, `batch-${code}`, 0, edit(generated));
    return code;
  }

  it.each([
    [
      'an event edited in the database (its hash no longer matches)',
      'event-hash-mismatch',
      (e: RecordedEvent): StoredEventEdit => ({ data: { ...e.data, massGrams: 1_000_000_000 } }),
    ],
    [
      'an event of a type this code does not know',
      'unknown-event-type',
      (e: RecordedEvent) => resealed(e, { type: 'WasteTeleported' }),
    ],
    [
      'an event of a version newer than the code',
      'unsupported-schema-version',
      (e: RecordedEvent) => resealed(e, { schemaVersion: 99 }),
    ],
    [
      'an event of another aggregate in the stream',
      'event-not-applicable',
      (e: RecordedEvent) =>
        resealed(e, {
          type: 'PartyRegistered',
          // PartyRegistered is at version 1 (a WasteGenerated is stored at 2 since issue 14)
          schemaVersion: 1,
          data: {
            uscc: 'x',
            name: 'x',
            roles: ['generator'],
            districtCode: '330106',
            occurredAt: 'x',
            late: false,
          },
        }),
    ],
  ])(
    'given %s, when a command loads the stream, then 500 internal-error, logged and counted',
    async (_case, rule, edit) => {
      const code = await batchWithEditedGeneration(edit);
      const counted = await faultsCounted(rule);
      const logged = jest.spyOn(Logger.prototype, 'error');
      const before = await app.t.headPosition();
      try {
        const response = await send(
          app.t,
          `/v1/batches/${code}/split`,
          app.world.tokens.generator,
          splitBody([1]),
          keys.next('split'),
        );
        const body = expectProblem(response, 500, { rule: 'internal-error' });
        // nothing of the history leaks to the client
        expect(body.detail).toBe('an unexpected error occurred; it has been logged');
        expect(JSON.stringify(body)).not.toMatch(/batch-|WasteTeleported|PartyRegistered|revision|hash/);
        await expectNothingAppendedSince(app.t, before, rule);
        // the operator learns everything: the rule, the stream, the revision
        const line = logged.mock.calls
          .map((args) => String(args[0]))
          .find((m) => m.startsWith(`FAULT ${rule}`));
        expect(line).toContain(`"stream":"batch-${code}"`);
        expect(line).toContain('"revision":"0"');
        expect(await faultsCounted(rule)).toBe(counted + 1);
      } finally {
        logged.mockRestore();
      }
    },
  );

  it('given such a fault inside a bulk request, then that item is 500 internal-error and the others are decided', async () => {
    const broken = await batchWithEditedGeneration((e) => ({ data: { ...e.data, massGrams: 7 } }));
    const sound = await app.build.generate(10);
    const counted = await faultsCounted('event-hash-mismatch');
    const response = await app.t.http
      .post('/v1/commands')
      .set('Authorization', `Bearer ${app.world.tokens.generator}`)
      .send({
        commands: [broken, sound].map((code) => ({
          type: 'split-batch',
          idempotencyKey: keys.next('bulk'),
          body: { traceCode: code, ...splitBody([1]) },
        })),
      });
    expect(response.status).toBe(200);
    expect(response.body.results.map((r: { status: number }) => r.status)).toEqual([500, 201]);
    expect(response.body.results[0].body).toMatchObject({ status: 500, rule: 'internal-error' });
    expect(await faultsCounted('event-hash-mismatch')).toBe(counted + 1);
  });
});
