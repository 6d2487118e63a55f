import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { requestHash, USE_CASE_ACCESS, USE_CASE_TYPES, type CommandEnvelope } from '@wasteflow/ledger';
import { EXAMPLE } from '../common/examples';
import { writeController, nestPathOf, pathParamsOf } from './write-controller';
import { BULK_ITEM_DTOS, BULK_TYPES, WRITE_DEFINITIONS, WRITES } from './write-registry';

describe('the write registry', () => {
  it('has one entry per ledger use case, under its own name, each route once', () => {
    expect(Object.keys(WRITES).sort()).toEqual([...USE_CASE_TYPES].sort());
    for (const [type, entry] of Object.entries(WRITES)) expect(entry.type).toBe(type);
    const routes = WRITE_DEFINITIONS.map((entry) => entry.route);
    expect(new Set(routes).size).toBe(routes.length);
  });

  it('declares every path parameter of each route, with its field', () => {
    for (const entry of WRITE_DEFINITIONS) expect(() => pathParamsOf(entry)).not.toThrow();
    expect(pathParamsOf(WRITES['revoke-permit']).map((p) => `${p.name}→${p.field}`)).toEqual([
      'uscc→uscc',
      'permitNo→permitNo',
    ]);
    expect(nestPathOf('POST /v1/parties/{uscc}/permits/{permitNo}/revoke')).toBe(
      'v1/parties/:uscc/permits/:permitNo/revoke',
    );
  });

  it('offers in bulk the use cases POST /v1/commands took before the registry, and the correction requests and decisions', () => {
    expect(BULK_TYPES).toEqual([
      'register-party',
      'grant-permit',
      'revoke-permit',
      'issue-token',
      'generate-waste',
      'split-batch',
      'consolidate-batches',
      'issue-manifest',
      'pick-up-manifest',
      'hand-over-manifest',
      'receive-manifest',
      'cancel-manifest',
      'treat-waste',
      'request-mass-correction',
      'approve-mass-correction',
      'reject-mass-correction',
    ]);
    for (const entry of WRITE_DEFINITIONS) {
      if (entry.bulk && pathParamsOf(entry).length === 0)
        expect(BULK_ITEM_DTOS.get(entry.type)).toBe(entry.body);
    }
  });
});

describe('a bulk item’s DTO', () => {
  const itemErrors = async (type: 'revoke-permit' | 'approve-mass-correction', body: object) => {
    const errors = await validate(plainToInstance(BULK_ITEM_DTOS.get(type) as Type<object>, body), {
      whitelist: true,
      forbidNonWhitelisted: true,
    });
    return errors.map((e) => `${e.property}:${Object.keys(e.constraints ?? {}).join(',')}`);
  };

  it('is the body plus the path parameters’ fields, each checked by its parameter’s rule', async () => {
    expect(BULK_ITEM_DTOS.get('revoke-permit')?.name).toBe('RevokePermitItemDto');
    const permit = { uscc: EXAMPLE.receiverUscc, permitNo: EXAMPLE.permitNo, reason: '超范围经营' };
    expect(await itemErrors('revoke-permit', permit)).toEqual([]);
    expect(await itemErrors('revoke-permit', { ...permit, uscc: '91330109MA2REC00X' })).toEqual([
      'uscc:isUscc',
    ]);
    expect(await itemErrors('revoke-permit', { reason: '超范围经营' })).toEqual([
      'uscc:isUscc',
      'permitNo:invalid-text',
    ]);
    expect(
      await itemErrors('approve-mass-correction', {
        traceCode: EXAMPLE.traceCode,
        requestId: 'x-1',
        note: 'ok',
      }),
    ).toEqual(['requestId:isCorrectionRequestId']);
  });
});

/**
 * The request hash of a write is stored in every idempotency record: a route built from a definition
 * must hash a request exactly as the hand-written controllers did, or every retry of an older request
 * becomes a 422. The expected values were computed by the controllers before the registry.
 */
describe('the request hash of a generated route', () => {
  async function envelopeOfCall(
    type: 'split-batch' | 'generate-waste',
    args: unknown[],
  ): Promise<CommandEnvelope> {
    const definition = WRITE_DEFINITIONS.find((d) => d.type === type);
    if (!definition) throw new Error(`${type} is not in the registry form`);
    const Controller = writeController(definition) as unknown as new (
      commands: unknown,
      moduleRef: unknown,
    ) => { write(...args: unknown[]): Promise<unknown> };
    let seen: CommandEnvelope | undefined;
    const commands = {
      run: (_type: string, envelope: CommandEnvelope) => {
        seen = envelope;
        return Promise.resolve({ result: {}, streams: [], position: 1n, replayed: false });
      },
    };
    const reply = { header: () => reply };
    const write = {
      principal: { kind: 'party', tokenId: 't', partyUscc: EXAMPLE.generatorUscc },
      idempotencyKey: 'k-1',
      correlationId: 'c-1',
      rawBody: args[args.length - 1],
    };
    const body = args.pop();
    await new Controller(commands, {}).write(write, ...args, body, reply);
    if (!seen) throw new Error('not run');
    return seen;
  }

  it('split-batch: route template, the canonical {code}, the body as sent', async () => {
    const body = { partsKg: [400, 250.5], occurredAt: '2026-03-02T10:00:00+08:00' };
    const envelope = await envelopeOfCall('split-batch', [EXAMPLE.traceCode, body]);
    expect(envelope.requestHash).toBe(
      requestHash({ route: 'POST /v1/batches/{code}/split', params: { code: EXAMPLE.traceCode }, body }),
    );
    expect(envelope.requestHash).toBe(SPLIT_HASH);
  });

  it('generate-waste: no path parameters', async () => {
    const body = {
      category: 'hazardous',
      wasteCode: '900-249-08',
      massKg: 1250.5,
      occurredAt: EXAMPLE.occurredAt,
    };
    const envelope = await envelopeOfCall('generate-waste', [body]);
    expect(envelope.requestHash).toBe(GENERATE_HASH);
  });

  it('the access rule of each generated route is its use case’s', () => {
    for (const definition of WRITE_DEFINITIONS) {
      const Controller = writeController(definition);
      const kinds = Reflect.getMetadata('wasteflow:allowed-kinds', Controller.prototype.write) as unknown;
      expect(kinds).toEqual(USE_CASE_ACCESS[definition.type]);
    }
  });
});

// sha256 of the RFC 8785 JSON of { route, params, body }, computed outside this code base (Python's
// hashlib over the canonical text) for the requests above
const SPLIT_HASH = '93fe42d2f4e0e604dc227c091539a99fbaea2e48349252334d827079803bc40e';
const GENERATE_HASH = '2e57f1f2098f046aa27b4da6dc8c7927d1fb0de3acbc3dcebf2b98688b28153a';
