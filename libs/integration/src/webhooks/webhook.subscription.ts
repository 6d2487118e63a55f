import { randomBytes } from 'node:crypto';
import type { Principal } from '@wasteflow/ledger';

/**
 * What a webhook subscription is (its scope, secrets, progress), its delivery attempts and change history,
 * and the small rules on them (which secrets sign, the principal it delivers as). Stored by webhook.store.ts.
 */

export type SubscriptionStatus = 'active' | 'paused';

/** The scope a subscription delivers under: the subscriber's principal as it was when it subscribed. */
export type SubscriberScope =
  | { readonly kind: 'party'; readonly tokenId: string; readonly partyUscc: string }
  | {
      readonly kind: 'regulator';
      readonly tokenId: string;
      readonly districts: readonly string[];
      readonly categories: readonly string[];
    };

export interface Subscription {
  readonly id: string;
  /** Who may manage it: `party:<uscc>` or `regulator:<token id>` (the ledger's actor). */
  readonly owner: string;
  readonly scope: SubscriberScope;
  readonly url: string;
  /** undefined: every event type. */
  readonly eventTypes?: readonly string[];
  readonly secret: string;
  /**
   * The secret before the last rotation, still signing beside the new one until `until` (epoch ms), so a
   * receiver can switch to the new secret without rejecting deliveries in between (Standard Webhooks lets
   * a header carry several signatures).
   */
  readonly previousSecret: { readonly secret: string; readonly until: number } | null;
  readonly status: SubscriptionStatus;
  readonly pausedReason: string | null;
  /** Every event up to this position is delivered (or not the subscriber's): the next one follows it. */
  readonly checkpoint: bigint;
  /** Consecutive failed attempts at the event after the checkpoint. */
  readonly failures: number;
  readonly failingSince: Date | null;
  /** Epoch ms of the next attempt while failing (null: due now). */
  readonly nextAttemptAt: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DeliveryAttempt {
  readonly id: string;
  readonly webhookId: string;
  readonly eventId: string;
  readonly position: string;
  readonly at: string;
  /** The receiver's HTTP status; null when none came (timeout, refused, connection error). */
  readonly status: number | null;
  readonly latencyMs: number;
  readonly ok: boolean;
  readonly error: string | null;
  /** `delivery` (in order, from the checkpoint) or `redelivery` (asked for, one event). */
  readonly kind: 'delivery' | 'redelivery';
}

export interface SubscriptionChange {
  readonly at: string;
  readonly actor: string;
  readonly change: 'created' | 'updated' | 'secret-rotated' | 'paused' | 'resumed' | 'rewound' | 'deleted';
  readonly detail: Record<string, unknown>;
}

/** How long the secret before a rotation still signs beside the new one. */
export const SECRET_OVERLAP_MS = 24 * 3_600_000;

/** The secrets a delivery at `now` is signed with: the current one, and the previous one while it overlaps. */
export function signingSecrets(subscription: Subscription, now: Date): string[] {
  const previous = subscription.previousSecret;
  return previous !== null && now.getTime() < previous.until
    ? [subscription.secret, previous.secret]
    : [subscription.secret];
}

/** A new signing secret: `whsec_` + base64 of 32 random bytes (Standard Webhooks). */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The principal a subscription delivers as (the feed's scope rule takes a Principal). */
export function principalOf(scope: SubscriberScope): Principal {
  return scope.kind === 'party'
    ? { kind: 'party', tokenId: scope.tokenId, partyUscc: scope.partyUscc }
    : { kind: 'regulator', tokenId: scope.tokenId, districts: scope.districts, categories: scope.categories };
}
