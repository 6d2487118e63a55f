import type { Response } from 'supertest';
import { AT, expect201, extraUscc, send, type Keys, type PartyFixture } from './fixtures';
import type { SeededApp } from './seeded-app';
import type { TestApp } from './test-app';

/** A receiver of a suite's own (beside the seeded ones), in `districtCode`; `serial` keeps its USCC apart. */
export function extraReceiver(districtCode: string, serial: number, name: string): PartyFixture {
  return { uscc: extraUscc(districtCode, serial), name, roles: ['receiver'], districtCode };
}

/** The body registering an own treatment facility of the generator (valid 2026 to 2030) with `operations`. */
export function facilityBody(facilityCode = 'ZJ-330106-F001', operations = ['R5', 'C2']) {
  return {
    facilityCode,
    operations,
    validFrom: '2026-01-01',
    validTo: '2030-12-31',
    occurredAt: AT.registered,
  };
}

/**
 * The generator with waste of its own to treat (issue 10 row 5, issue 14): `slag` generates an industrial
 * slag batch, `treat` treats one of its batches itself (`extra`: facilityCode …); both as the generator.
 */
export function ownWaste(app: SeededApp, keys: Keys) {
  return {
    async slag(massKg: number): Promise<string> {
      const body = { category: 'industrial', subtype: 'slag', massKg, occurredAt: AT.generated };
      return (await expect201(send(app.t, '/v1/batches', app.world.tokens.generator, body, keys.next()))).body
        .traceCode as string;
    },
    treat(traceCode: string, operation: string, massKg = 4, extra: Record<string, unknown> = {}) {
      const body = { operation, massKg, occurredAt: AT.treated, ...extra };
      return send(
        app.t,
        `/v1/batches/${traceCode}/treatments`,
        app.world.tokens.generator,
        body,
        keys.next(),
      );
    },
  };
}

export interface CrewMember {
  readonly name: string;
  readonly phone: string;
}

/** What the 联单 PDF prints of a leg's crew (its text read with white space removed). */
export function crewOnManifestPdf(
  driver: CrewMember,
  escort: CrewMember,
  licence: string,
  vehicle: string,
): string[] {
  return [
    `驾驶员：${driver.name}`,
    `联系电话：${driver.phone}`,
    `押运员：${escort.name}`,
    `联系电话：${escort.phone}`,
    `运输工具：${vehicle}`,
    `道路运输经营许可证号：${licence}`,
  ];
}

export interface BulkItem {
  readonly type: string;
  readonly idempotencyKey: string;
  readonly body: Record<string, unknown>;
}

/** POST /v1/commands: `items` in one bulk request under `token`, with the request's own Idempotency-Key when given. */
export function sendBulk(
  t: TestApp,
  token: string | undefined,
  items: readonly BulkItem[],
  key: string | null = null,
): Promise<Response> {
  return send(t, '/v1/commands', token, { commands: items }, key);
}
