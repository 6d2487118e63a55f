import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { quoteIdentifier } from '@wasteflow/projections';
import { BookkeepingTables, type Queryable, type Row } from '../tables/bookkeeping-tables';
import {
  newSecret,
  type DeliveryAttempt,
  type SubscriberScope,
  type Subscription,
  type SubscriptionChange,
  type SubscriptionStatus,
} from './webhook.subscription';

/**
 * Webhook subscriptions, their change history and every delivery attempt: tables beside the log in the
 * read-model database (ADR 0012) — configuration and bookkeeping, not events. Created here with
 * `IF NOT EXISTS` (they are not a projection: a rebuild of the read models never touches them).
 */

@Injectable()
export class WebhookStore extends BookkeepingTables implements OnModuleInit {
  constructor(@Inject(getDataSourceToken()) db: DataSource) {
    super(db);
  }

  /** The api and apps/projector both create the tables (`createOnce`: one at a time). */
  async onModuleInit(): Promise<void> {
    await this.createOnce('wasteflow.webhook-tables', (on) => this.createTables(on));
  }

  private async createTables(on: Queryable): Promise<void> {
    const big = this.postgres ? 'BIGINT' : 'INTEGER';
    await this.q(
      `CREATE TABLE IF NOT EXISTS ${this.t('webhook_subscriptions')} (
      id TEXT PRIMARY KEY, owner TEXT NOT NULL, scope TEXT NOT NULL, url TEXT NOT NULL, event_types TEXT,
      secret TEXT NOT NULL, status TEXT NOT NULL, paused_reason TEXT, checkpoint TEXT NOT NULL,
      failures INTEGER NOT NULL, failing_since TEXT, next_attempt_at ${big},
      created_at TEXT NOT NULL, updated_at TEXT NOT NULL)`,
      [],
      on,
    );
    await this.q(
      `CREATE TABLE IF NOT EXISTS ${this.t('webhook_changes')} (
      id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, seq ${big} NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,
      change TEXT NOT NULL, detail TEXT NOT NULL)`,
      [],
      on,
    );
    await this.q(
      `CREATE TABLE IF NOT EXISTS ${this.t('webhook_attempts')} (
      id TEXT PRIMARY KEY, webhook_id TEXT NOT NULL, seq ${big} NOT NULL, event_id TEXT NOT NULL,
      position TEXT NOT NULL, at TEXT NOT NULL, status INTEGER, latency_ms INTEGER NOT NULL, ok INTEGER NOT NULL,
      error TEXT, kind TEXT NOT NULL)`,
      [],
      on,
    );
    await this.addColumnIfMissing(on, 'webhook_subscriptions', 'previous_secret', 'TEXT');
    await this.addColumnIfMissing(on, 'webhook_subscriptions', 'previous_until', big);
    await this.q(
      `CREATE INDEX IF NOT EXISTS webhook_attempts_by_webhook ON ${this.t('webhook_attempts')} (webhook_id, seq)`,
      [],
      on,
    );
    // Running totals of the attempts (kept when the attempts are purged or the subscription deleted): what
    // /metrics counts, the same in every process on this database, whichever of them delivered.
    await this.q(
      `CREATE TABLE IF NOT EXISTS ${this.t('webhook_attempt_counts')} (
      webhook_id TEXT NOT NULL, result TEXT NOT NULL, attempts ${big} NOT NULL, PRIMARY KEY (webhook_id, result))`,
      [],
      on,
    );
  }

  /** Columns added after the table's first version (a data directory of an earlier build keeps working). */
  private async addColumnIfMissing(
    on: Queryable,
    table: string,
    column: string,
    type: string,
  ): Promise<void> {
    if (this.postgres) {
      await this.q(
        `ALTER TABLE ${this.t(table)} ADD COLUMN IF NOT EXISTS ${quoteIdentifier(column)} ${type}`,
        [],
        on,
      );
      return;
    }
    const columns = await this.q(`PRAGMA table_info(${quoteIdentifier(table)})`, [], on);
    if (!columns.some((c) => c.name === column)) {
      await this.q(
        `ALTER TABLE ${quoteIdentifier(table)} ADD COLUMN ${quoteIdentifier(column)} ${type}`,
        [],
        on,
      );
    }
  }

  async create(input: {
    owner: string;
    scope: SubscriberScope;
    url: string;
    eventTypes?: readonly string[];
    checkpoint: bigint;
    at: Date;
  }): Promise<Subscription> {
    const id = `wh_${randomUUID().replace(/-/g, '')}`;
    const at = input.at.toISOString();
    await this.q(
      `INSERT INTO ${this.t('webhook_subscriptions')} (id, owner, scope, url, event_types, secret, status,
        paused_reason, checkpoint, failures, failing_since, next_attempt_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 'active', NULL, ?, 0, NULL, NULL, ?, ?)`,
      [
        id,
        input.owner,
        JSON.stringify(input.scope),
        input.url,
        input.eventTypes ? JSON.stringify(input.eventTypes) : null,
        newSecret(),
        input.checkpoint.toString(),
        at,
        at,
      ],
    );
    await this.recordChange(id, input.owner, input.at, 'created', {
      url: input.url,
      eventTypes: input.eventTypes ?? null,
      after: input.checkpoint.toString(),
    });
    return (await this.find(id)) as Subscription;
  }

  async find(id: string): Promise<Subscription | undefined> {
    const [row] = await this.q(`SELECT * FROM ${this.t('webhook_subscriptions')} WHERE id = ?`, [id]);
    return row ? subscriptionOf(row) : undefined;
  }

  /** Subscriptions of `owner`, or every one (undefined). */
  async list(owner?: string): Promise<Subscription[]> {
    const rows =
      owner === undefined
        ? await this.q(`SELECT * FROM ${this.t('webhook_subscriptions')} ORDER BY created_at, id`)
        : await this.q(
            `SELECT * FROM ${this.t('webhook_subscriptions')} WHERE owner = ? ORDER BY created_at, id`,
            [owner],
          );
    return rows.map(subscriptionOf);
  }

  async active(): Promise<Subscription[]> {
    return (
      await this.q(`SELECT * FROM ${this.t('webhook_subscriptions')} WHERE status = 'active' ORDER BY id`)
    ).map(subscriptionOf);
  }

  async update(
    id: string,
    actor: string,
    at: Date,
    change: { url?: string; eventTypes?: readonly string[] | null },
  ): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [];
    if (change.url !== undefined) {
      sets.push('url = ?');
      params.push(change.url);
    }
    if (change.eventTypes !== undefined) {
      sets.push('event_types = ?');
      params.push(change.eventTypes === null ? null : JSON.stringify(change.eventTypes));
    }
    if (sets.length === 0) return;
    await this.q(
      `UPDATE ${this.t('webhook_subscriptions')} SET ${sets.join(', ')}, updated_at = ? WHERE id = ?`,
      [...params, at.toISOString(), id],
    );
    await this.recordChange(id, actor, at, 'updated', change as Record<string, unknown>);
  }

  /** A new secret; the one it replaces keeps signing beside it for `overlapMs`. */
  async rotateSecret(
    id: string,
    actor: string,
    at: Date,
    overlapMs: number,
  ): Promise<{ secret: string; previousUntil: Date }> {
    const secret = newSecret();
    const previousUntil = new Date(at.getTime() + overlapMs);
    await this.q(
      `UPDATE ${this.t('webhook_subscriptions')} SET previous_secret = secret, previous_until = ?, secret = ?,
        updated_at = ? WHERE id = ?`,
      [previousUntil.getTime(), secret, at.toISOString(), id],
    );
    await this.recordChange(id, actor, at, 'secret-rotated', {
      previousSecretValidUntil: previousUntil.toISOString(),
    });
    return { secret, previousUntil };
  }

  async pause(id: string, actor: string, at: Date, reason: string): Promise<void> {
    await this.q(
      `UPDATE ${this.t('webhook_subscriptions')} SET status = 'paused', paused_reason = ?, updated_at = ? WHERE id = ?`,
      [reason, at.toISOString(), id],
    );
    await this.recordChange(id, actor, at, 'paused', { reason });
  }

  /** Active again, the back-off forgotten; with `checkpoint`, delivery restarts after that position. */
  async resume(id: string, actor: string, at: Date, checkpoint?: bigint): Promise<void> {
    await this.q(
      `UPDATE ${this.t('webhook_subscriptions')} SET status = 'active', paused_reason = NULL, failures = 0,
        failing_since = NULL, next_attempt_at = NULL, updated_at = ?${checkpoint !== undefined ? ', checkpoint = ?' : ''}
       WHERE id = ?`,
      checkpoint !== undefined ? [at.toISOString(), checkpoint.toString(), id] : [at.toISOString(), id],
    );
    await this.recordChange(
      id,
      actor,
      at,
      checkpoint !== undefined ? 'rewound' : 'resumed',
      checkpoint !== undefined ? { after: checkpoint.toString() } : {},
    );
  }

  async remove(id: string, actor: string, at: Date): Promise<void> {
    await this.q(`DELETE FROM ${this.t('webhook_subscriptions')} WHERE id = ?`, [id]);
    await this.recordChange(id, actor, at, 'deleted', {});
  }

  /** After a delivered event (or a stretch of events not the subscriber's): the checkpoint moves on. */
  async advance(id: string, from: bigint, to: bigint): Promise<boolean> {
    // Compare-and-set on the checkpoint: a rewind (redeliver from a position) that came in meanwhile wins.
    const rows = await this.q(
      `UPDATE ${this.t('webhook_subscriptions')} SET checkpoint = ?, failures = 0, failing_since = NULL,
        next_attempt_at = NULL WHERE id = ? AND checkpoint = ? RETURNING id`,
      [to.toString(), id, from.toString()],
    );
    // PostgreSQL answers an UPDATE with [rows, count], SQLite with the rows RETURNING gave.
    const returned = this.postgres ? (rows as unknown as [Row[], number])[0] : rows;
    return returned.length > 0;
  }

  async recordFailure(id: string, failures: number, failingSince: Date, nextAttemptAt: Date): Promise<void> {
    await this.q(
      `UPDATE ${this.t('webhook_subscriptions')} SET failures = ?, failing_since = ?, next_attempt_at = ? WHERE id = ?`,
      [failures, failingSince.toISOString(), nextAttemptAt.getTime(), id],
    );
  }

  async recordAttempt(attempt: Omit<DeliveryAttempt, 'id'>): Promise<DeliveryAttempt> {
    const id = randomUUID();
    await this.q(
      `INSERT INTO ${this.t('webhook_attempts')} (id, webhook_id, seq, event_id, position, at, status, latency_ms,
        ok, error, kind)
       VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ${this.t('webhook_attempts')} WHERE webhook_id = ?),
        ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        attempt.webhookId,
        attempt.webhookId,
        attempt.eventId,
        attempt.position,
        attempt.at,
        attempt.status,
        attempt.latencyMs,
        attempt.ok ? 1 : 0,
        attempt.error,
        attempt.kind,
      ],
    );
    await this.q(
      `INSERT INTO ${this.t('webhook_attempt_counts')} (webhook_id, result, attempts) VALUES (?, ?, 1)
       ON CONFLICT (webhook_id, result) DO UPDATE SET attempts = ${this.t('webhook_attempt_counts')}.attempts + 1`,
      [attempt.webhookId, attempt.ok ? 'ok' : 'failed'],
    );
    return { id, ...attempt };
  }

  /** Every attempt ever recorded on this database, by subscription (deleted ones too) and result. */
  async attemptCounts(): Promise<{ webhookId: string; result: 'ok' | 'failed'; attempts: number }[]> {
    const rows = await this.q(
      `SELECT webhook_id, result, attempts FROM ${this.t('webhook_attempt_counts')} ORDER BY webhook_id, result`,
    );
    return rows.map((row) => ({
      webhookId: String(row.webhook_id),
      result: String(row.result) as 'ok' | 'failed',
      attempts: Number(row.attempts),
    }));
  }

  /** Deletes the attempts recorded before `before` (their retention period has passed). */
  async purgeAttempts(before: Date): Promise<void> {
    // `at` is ISO 8601 in UTC (toISOString): text order is time order.
    await this.q(`DELETE FROM ${this.t('webhook_attempts')} WHERE at < ?`, [before.toISOString()]);
  }

  /** Attempts, newest first. */
  async attempts(webhookId: string, limit: number): Promise<DeliveryAttempt[]> {
    const rows = await this.q(
      `SELECT * FROM ${this.t('webhook_attempts')} WHERE webhook_id = ? ORDER BY seq DESC LIMIT ?`,
      [webhookId, limit],
    );
    return rows.map(attemptOf);
  }

  async changes(webhookId: string): Promise<SubscriptionChange[]> {
    const rows = await this.q(
      `SELECT * FROM ${this.t('webhook_changes')} WHERE webhook_id = ? ORDER BY seq`,
      [webhookId],
    );
    return rows.map((row) => ({
      at: String(row.at),
      actor: String(row.actor),
      change: String(row.change) as SubscriptionChange['change'],
      detail: JSON.parse(String(row.detail)) as Record<string, unknown>,
    }));
  }

  private async recordChange(
    webhookId: string,
    actor: string,
    at: Date,
    change: SubscriptionChange['change'],
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.q(
      `INSERT INTO ${this.t('webhook_changes')} (id, webhook_id, seq, at, actor, change, detail)
       VALUES (?, ?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM ${this.t('webhook_changes')} WHERE webhook_id = ?), ?, ?, ?, ?)`,
      [randomUUID(), webhookId, webhookId, at.toISOString(), actor, change, JSON.stringify(detail)],
    );
  }
}

function subscriptionOf(row: Row): Subscription {
  return {
    id: String(row.id),
    owner: String(row.owner),
    scope: JSON.parse(String(row.scope)) as SubscriberScope,
    url: String(row.url),
    ...(row.event_types !== null && row.event_types !== undefined
      ? { eventTypes: JSON.parse(String(row.event_types)) as string[] }
      : {}),
    secret: String(row.secret),
    previousSecret:
      row.previous_secret === null || row.previous_secret === undefined
        ? null
        : { secret: String(row.previous_secret), until: Number(row.previous_until) },
    status: String(row.status) as SubscriptionStatus,
    pausedReason:
      row.paused_reason === null || row.paused_reason === undefined ? null : String(row.paused_reason),
    checkpoint: BigInt(String(row.checkpoint)),
    failures: Number(row.failures),
    failingSince: row.failing_since ? new Date(String(row.failing_since)) : null,
    nextAttemptAt:
      row.next_attempt_at === null || row.next_attempt_at === undefined ? null : Number(row.next_attempt_at),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

function attemptOf(row: Row): DeliveryAttempt {
  return {
    id: String(row.id),
    webhookId: String(row.webhook_id),
    eventId: String(row.event_id),
    position: String(row.position),
    at: String(row.at),
    status: row.status === null || row.status === undefined ? null : Number(row.status),
    latencyMs: Number(row.latency_ms),
    ok: Number(row.ok) === 1,
    error: row.error === null || row.error === undefined ? null : String(row.error),
    kind: String(row.kind) as DeliveryAttempt['kind'],
  };
}
