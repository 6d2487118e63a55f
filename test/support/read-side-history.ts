import type { Response } from 'supertest';
import { AT, expect201, HW08_CODE, Keys, PARTIES, PLATE, send, type PartyName, type World } from './fixtures';
import type { TestApp } from './test-app';

/**
 * A realistic history driven through the HTTP API, for the read-side suites (trace, manifests, audit,
 * rebuild): splits, a consolidation, a cancelled manifest, a receipt with a loss beyond the tolerance and a
 * partial rejection, treatments (disposal and utilisation), a correction, a full rejection, and a batch of
 * another generator. Every step must answer 201.
 */
export interface History {
  /** Generated 10 kg, split 3 kg off (a1), shipped on m1, received in full, disposed 3 kg (D10) and utilised 4 kg (R9). */
  readonly a: string;
  /** The split child of a (3 kg), corrected by −1 kg, shipped on m3 to the other receiver, rejected in full. */
  readonly a1: string;
  /** Consolidated from b (4 kg) and c (6 kg). */
  readonly b: string;
  readonly c: string;
  /** On m1: 10 kg shipped, 9 received (1 lost: a discrepancy), 7 accepted, 2 rejected → xReturned. */
  readonly x: string;
  readonly xReturned: string;
  /** On m2, which was cancelled before pickup. */
  readonly d: string;
  /** Of the other generator, never shipped. */
  readonly e: string;
  readonly m1: string;
  readonly m2: string;
  readonly m3: string;
  /** Position of the last write. */
  readonly position: string;
}

export async function driveHistory(
  t: TestApp,
  world: World,
  keys: Keys = new Keys('history'),
): Promise<History> {
  let position: string;
  const token = (name: PartyName) => world.tokens[name] as string;
  const write = async (path: string, by: PartyName, body: unknown, label: string): Promise<Response> => {
    const response = await expect201(send(t, path, token(by), body, keys.next(label)));
    position = response.body.position as string;
    return response;
  };
  const generate = async (massKg: number, by: PartyName = 'generator') =>
    (
      await write(
        '/v1/batches',
        by,
        { category: 'hazardous', wasteCode: HW08_CODE, massKg, occurredAt: AT.generated },
        'generate',
      )
    ).body.traceCode as string;
  const issue = async (traceCodes: string[], receiver: PartyName = 'receiver') =>
    (
      await write(
        '/v1/manifests',
        'generator',
        {
          lines: traceCodes.map((traceCode) => ({ traceCode })),
          carrierUscc: PARTIES.carrier.uscc,
          receiverUscc: PARTIES[receiver].uscc,
          plannedAt: AT.planned,
        },
        'manifest',
      )
    ).body.manifestNo as string;
  const pickUp = (manifestNo: string) =>
    write(
      `/v1/manifests/${manifestNo}/pickup`,
      'carrier',
      { vehiclePlate: PLATE, occurredAt: AT.pickedUp },
      'pickup',
    );

  const a = await generate(10);
  const [a1] = (
    await write(`/v1/batches/${a}/split`, 'generator', { partsKg: [3], occurredAt: AT.split }, 'split')
  ).body.children as string[];
  const b = await generate(4);
  const c = await generate(6);
  const x = (
    await write(
      '/v1/consolidations',
      'generator',
      {
        lines: [
          { traceCode: b, massKg: 4 },
          { traceCode: c, massKg: 6 },
        ],
        occurredAt: AT.consolidated,
      },
      'consolidate',
    )
  ).body.traceCode as string;
  const d = await generate(5);
  const m2 = await issue([d]);
  await write(`/v1/manifests/${m2}/cancel`, 'generator', { reason: '车辆临时调度，改期转移' }, 'cancel');

  const m1 = await issue([a, x]);
  await pickUp(m1);
  await write(
    `/v1/manifests/${m1}/receipt`,
    'receiver',
    {
      occurredAt: AT.received,
      lines: [
        { traceCode: a, receivedKg: 7, acceptedKg: 7 },
        { traceCode: x, receivedKg: 9, acceptedKg: 7, reason: '含水率超标，2 kg 拒收退回' },
      ],
    },
    'receipt',
  );
  const xReturned = (await t.store.readStream(`batch-${x}`))
    .map((e) => e.data.childTraceCode)
    .find((code) => code) as string;
  await write(
    `/v1/batches/${a}/treatments`,
    'receiver',
    { operation: 'D10', massKg: 3, occurredAt: AT.treated },
    'treat',
  );
  await write(
    `/v1/batches/${a}/treatments`,
    'receiver',
    { operation: 'R9', massKg: 4, occurredAt: AT.treated },
    'treat',
  );

  // a correction: requested by the custodian, approved by the Hangzhou regulator (ADR 0018)
  await write(
    `/v1/batches/${a1}/correction-requests`,
    'generator',
    { deltaKg: -1, reason: '地磅复核：原登记含包装桶皮重', occurredAt: AT.corrected },
    'correct',
  );
  position = (
    await expect201(
      send(
        t,
        `/v1/batches/${a1}/correction-requests/cr-1/approve`,
        world.tokens.regulator,
        {},
        keys.next('approve'),
      ),
    )
  ).body.position as string;
  const m3 = await issue([a1], 'otherReceiver');
  await pickUp(m3);
  await write(
    `/v1/manifests/${m3}/receipt`,
    'otherReceiver',
    {
      occurredAt: AT.received,
      lines: [{ traceCode: a1, receivedKg: 2, acceptedKg: 0, reason: '包装破损，整批拒收' }],
    },
    'receipt',
  );
  const e = await generate(1, 'otherGenerator');
  return { a, a1, b, c, x, xReturned, d, e, m1, m2, m3, position };
}
