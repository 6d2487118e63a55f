import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import { createReadModelBackend } from '../database/create-backend';
import { LeaseKeeper } from './lease-keeper';
import { ownerId, resolveLeaseTiming, type OwnerIdentity } from './lease-policy';

export interface NamedLeaseOptions {
  /** The lease's name: a row of `projection_lease` beside the projection runner's own. */
  readonly lease: string;
  /** Suffix of the owner id (`host:pid:<role>-<random>`), so a dead holder on this host is seen as gone. */
  readonly role: string;
  readonly ttlMs: number;
  readonly warn: (message: string) => void;
}

/**
 * One holder at a time of some work other than projecting (the webhook deliverer), by the runner's own
 * lease mechanism: another row of the lease table of the read-model database, with its fencing token, its
 * expiry, and the takeover at once from a holder whose pid is gone on this host (a kill -9).
 */
export function namedLease(dataSource: DataSource, options: NamedLeaseOptions): LeaseKeeper {
  const identity: OwnerIdentity = { host: hostname(), pid: process.pid };
  return new LeaseKeeper({
    backend: createReadModelBackend(dataSource),
    lease: options.lease,
    owner: ownerId(identity, `${options.role}-${randomUUID().slice(0, 8)}`),
    timing: resolveLeaseTiming({ ttlMs: options.ttlMs }),
    clock: Date.now,
    warn: options.warn,
    identity,
    what: `lease ${options.lease}`,
  });
}
