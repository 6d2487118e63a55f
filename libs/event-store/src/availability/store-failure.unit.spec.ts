import { DeadlineExceededError, NotLeaderError, UnavailableError } from '@kurrent/kurrentdb-client';
import { storeFailureOf } from './store-failure';

const grpc = (message: string, code: number): never => ({ message, code, details: message }) as never;

const pg = (code: string): Error => Object.assign(new Error(`pg ${code}`), { code });
const sqlite = (code: string): Error => Object.assign(new Error(code), { code, name: 'SqliteError' });

describe('which store failures mean "cannot take it now", and what they leave behind', () => {
  it.each([
    [pg('53100'), 'not-applied', /out of disk space/],
    [pg('25006'), 'not-applied', /read-only/],
    [pg('57014'), 'not-applied', /timed out/],
    [pg('55P03'), 'not-applied', /lock wait/],
    [pg('57P01'), 'unknown', /shut down/],
    [pg('08006'), 'unknown', /connection failed/],
    [
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      'not-applied',
      /unreachable/,
    ],
    [Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }), 'unknown', /lost/],
    [new Error('Connection terminated unexpectedly'), 'unknown', /lost/],
    [new Error('Query read timeout'), 'unknown', /lost or timed out/],
    [new Error('timeout exceeded when trying to connect'), 'not-applied', /in time/],
    [sqlite('SQLITE_FULL'), 'not-applied', /disk is full/],
    [sqlite('SQLITE_READONLY_DBMOVED'), 'not-applied', /read-only/],
    [sqlite('SQLITE_IOERR_WRITE'), 'unknown', /I\/O/],
    [new Error('wrapped', { cause: sqlite('SQLITE_BUSY') }), 'not-applied', /locked/],
    [new UnavailableError(grpc('connection dropped', 14)), 'unknown', /KurrentDB cluster is unreachable/],
    [new DeadlineExceededError(grpc('deadline', 4)), 'unknown', /KurrentDB did not answer/],
    [
      new NotLeaderError({
        message: 'not leader',
        code: 5,
        metadata: { 'leader-endpoint-host': 'kurrentdb2', 'leader-endpoint-port': '2113' },
      } as never),
      'not-applied',
      /not the leader/,
    ],
  ])('%s', (error, outcome, reason) => {
    const failure = storeFailureOf(error);
    expect(failure?.outcome).toBe(outcome);
    expect(failure?.reason).toMatch(reason);
  });

  it('leaves everything else to be a bug (500)', () => {
    expect(storeFailureOf(new TypeError('x is undefined'))).toBeUndefined();
    expect(storeFailureOf(pg('23505'))).toBeUndefined();
    expect(storeFailureOf(sqlite('SQLITE_CONSTRAINT_UNIQUE'))).toBeUndefined();
    expect(storeFailureOf('a string')).toBeUndefined();
    expect(storeFailureOf({ type: 'unavailable' })).toBeUndefined();
  });
});
