import { Injectable } from '@nestjs/common';
import { batchStream, manifestStream, parseStream, partyStream, WASTE_CATEGORIES } from '@wasteflow/domain';
import type { RecordedEvent } from '@wasteflow/event-store';
import type { Principal } from '@wasteflow/ledger';
import { ManifestQuery, TraceQuery } from '@wasteflow/projections';
import { readBatch } from '../scope/batch-scope';
import { Forbidden } from '../scope/forbidden';
import { PartyRegistry } from '../scope/party-registry';
import { canRead, type ScopedResource } from '../scope/scope';

/** Seen by nobody but an auditor: a stream the read models do not know (yet). */
const NOBODY: ScopedResource = { parties: [], districts: [], categories: [] };

/**
 * The scope of each event the feed (and the webhooks, which deliver the feed) may serve: the event is
 * readable exactly when its stream is readable by the read side's own rule (`canRead` of
 * scope/scope.ts, called here, never restated):
 *
 *  - `batch-…`: the batch's access as the trace view checks it (parties on its chain; for a regulator
 *    `readBatch` itself: origin, custodians' and receivers' districts, category);
 *  - `manifest-…`: the manifest's access as the manifest view checks it;
 *  - `party-…`: the party itself, and regulators of its district (a party has no category: it is
 *    overseen where it is, so every category counts — the rule of `canReadParty` for regulators);
 *  - `alert-…`: the alert as its lifecycle event states it (`data.alert`: the parties it names, their
 *    districts, its categories — the facts the alerts view is scoped by);
 *  - `transfer-approval-…`: the shipper and the receiver and their districts, hazardous waste (every event of
 *    the stream states them, as the transfer approvals view is scoped).
 *
 * Scopes are the current ones (as every read's): a party that joins a batch's chain later sees the batch's
 * earlier events too, from any cursor before them (ADR 0012).
 */
@Injectable()
export class FeedScopes {
  constructor(
    private readonly trace: TraceQuery,
    private readonly manifests: ManifestQuery,
    private readonly parties: PartyRegistry,
  ) {}

  /**
   * The highest position up to which every read model the scopes come from has applied the log: the feed
   * serves nothing beyond it, so no event is judged on a scope that does not include it yet.
   */
  async ceiling(): Promise<bigint> {
    const [trace, manifests] = await Promise.all([this.trace.checkpoint(), this.manifests.checkpoint()]);
    return trace < manifests ? trace : manifests;
  }

  /** Which of `events` `principal` may read, in their order. */
  async readable(principal: Principal, events: readonly RecordedEvent[]): Promise<RecordedEvent[]> {
    if (principal.kind === 'auditor') return [...events];
    if (principal.kind !== 'party' && principal.kind !== 'regulator') return [];
    const resources = await this.resourcesOf(events);
    const verdicts = new Map<string, boolean>();
    if (principal.kind === 'regulator') {
      // A regulator reads a batch by its origin, custodians' and receivers' districts: the trace read's
      // own check (readBatch), asked once per batch of the page.
      for (const stream of new Set(events.map((e) => e.stream))) {
        const parsed = parseStream(stream);
        if (parsed?.kind === 'batch') verdicts.set(stream, await this.canReadBatch(principal, parsed.id));
      }
    }
    return events.filter(
      (event) => verdicts.get(event.stream) ?? canRead(principal, resources.get(event.stream) ?? NOBODY),
    );
  }

  private async canReadBatch(principal: Principal, code: string): Promise<boolean> {
    try {
      await readBatch(principal, code, this.trace, this.parties);
      return true;
    } catch (error) {
      if (error instanceof Forbidden) return false;
      throw error;
    }
  }

  private async resourcesOf(events: readonly RecordedEvent[]): Promise<Map<string, ScopedResource>> {
    const batches: string[] = [];
    const manifests: string[] = [];
    const parties: string[] = [];
    const resources = new Map<string, ScopedResource>();
    for (const { stream, data } of events) {
      const parsed = parseStream(stream);
      if (parsed?.kind === 'alert') resources.set(stream, alertResourceOf(data.alert));
      if (parsed?.kind === 'transferApproval') resources.set(stream, transferApprovalResourceOf(data));
      if (parsed?.kind === 'batch') batches.push(parsed.id);
      else if (parsed?.kind === 'manifest') manifests.push(parsed.id);
      else if (parsed?.kind === 'party') parties.push(parsed.id);
    }
    if (batches.length > 0) {
      const { access } = await this.trace.accessMany(batches);
      for (const [code, resource] of access) resources.set(batchStream(code), resource);
    }
    if (manifests.length > 0) {
      const { access } = await this.manifests.accessMany(manifests);
      for (const [no, resource] of access) resources.set(manifestStream(no), resource);
    }
    for (const uscc of new Set(parties)) {
      const party = await this.parties.find(uscc);
      if (party === undefined) continue;
      resources.set(partyStream(uscc), {
        parties: [uscc],
        districts: [party.districtCode],
        categories: WASTE_CATEGORIES,
      });
    }
    return resources;
  }
}

/** The scope of an alert's lifecycle event: the alert's facts it carries (AlertFacts), or nobody's. */
function alertResourceOf(facts: unknown): ScopedResource {
  if (typeof facts !== 'object' || facts === null) return NOBODY;
  const { parties, categories } = facts as { parties?: unknown; categories?: unknown };
  if (!Array.isArray(parties) || !Array.isArray(categories)) return NOBODY;
  const named = parties.filter(
    (p): p is { uscc: string; districtCode: string } =>
      typeof p?.uscc === 'string' && typeof p?.districtCode === 'string',
  );
  return {
    parties: named.map((p) => p.uscc),
    districts: named.map((p) => p.districtCode).filter((d) => d !== ''),
    categories: categories.filter((c): c is string => typeof c === 'string'),
  };
}

/** The scope of a transfer approval's event: the parties and districts it states, hazardous; or nobody's. */
function transferApprovalResourceOf(data: Record<string, unknown>): ScopedResource {
  const { shipperUscc, receiverUscc, shipperDistrictCode, receiverDistrictCode } = data;
  if (
    typeof shipperUscc !== 'string' ||
    typeof receiverUscc !== 'string' ||
    typeof shipperDistrictCode !== 'string' ||
    typeof receiverDistrictCode !== 'string'
  )
    return NOBODY;
  return {
    parties: [shipperUscc, receiverUscc],
    districts: [shipperDistrictCode, receiverDistrictCode],
    categories: ['hazardous'],
  };
}
