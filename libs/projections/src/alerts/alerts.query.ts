import type { DataSource } from 'typeorm';
import type { AlertFacts, AlertLifecycleState } from '@wasteflow/domain';
import { formatPosition } from '@wasteflow/event-store';
import { ALERTS_PROJECTION, ALERT_KINDS, type AlertKind } from './alerts.tables';
import { alertLifecycles } from './alert-lifecycle';
import { ReadModelReader, type SqlRow } from '../query/read-model-reader';
import { Conditions, undelimited, type Paging, type ReadScope } from '../query/read-scope';
import { bigintOf, jsonOf, textOf } from '../query/values';

export type AlertStatus = 'open' | 'resolved';

export interface AlertAcknowledgementView {
  /** The USCC of the party that acknowledged it, and its role on the alert. */
  readonly by: string;
  readonly role: string;
  readonly at: string;
  readonly note: string;
}

export interface AlertClosureView {
  /** The regulator's token and the scope it held when it closed the alert. */
  readonly by: { readonly tokenId: string; readonly districts: string[]; readonly categories: string[] };
  readonly at: string;
  readonly finding: string;
  readonly closedFrom: 'open' | 'acknowledged';
}

/** One step of the alert's life, in stream order, with the ledger position of its event. */
export type AlertHistoryStep =
  | ({ readonly step: 'acknowledged'; readonly position: string } & AlertAcknowledgementView)
  | ({ readonly step: 'closed'; readonly position: string } & AlertClosureView);

export interface AlertsRequest {
  readonly scope: ReadScope;
  readonly kind?: AlertKind;
  readonly status?: AlertStatus;
  readonly state?: AlertLifecycleState;
  /** Alerts naming this party (a party scope may only name itself). */
  readonly party?: string;
  /** Alerts with a party in this region (2, 4 or 6 digits). */
  readonly region?: string;
  readonly category?: string;
  /** raisedAt ≥ this instant (inclusive). */
  readonly from?: Date;
  /** raisedAt < this instant (exclusive). */
  readonly to?: Date;
  readonly paging: Paging;
  /** The query's clock: an alert with a deadline shows once it has passed. */
  readonly now: Date;
}

export interface AlertParty {
  readonly uscc: string;
  readonly role: string;
  readonly districtCode: string;
}

export interface AlertView {
  readonly id: string;
  readonly kind: AlertKind;
  readonly status: AlertStatus;
  readonly subject: { readonly manifestNo?: string; readonly traceCode?: string };
  readonly parties: readonly AlertParty[];
  readonly district: string;
  /** The category when the alert concerns one, null for a manifest of several. */
  readonly category: string | null;
  readonly categories: readonly string[];
  readonly raisedAt: string;
  readonly resolvedAt: string | null;
  readonly details: Record<string, unknown>;
  readonly state: AlertLifecycleState;
  readonly acknowledged: AlertAcknowledgementView | null;
  readonly closed: AlertClosureView | null;
}

/** One alert with the history of its life (GET /v1/alerts/{id}). */
export interface AlertWithHistory extends AlertView {
  readonly history: readonly AlertHistoryStep[];
  readonly position: string;
}

export interface AlertsAnswer {
  readonly asOf: string;
  readonly alerts: readonly AlertView[];
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly position: string;
}

/**
 * Reads alerts as of the query's clock: visible once raised (`raised_at_ms <= now`); open until resolved.
 * Newest first.
 */
export class AlertsQuery {
  private readonly reader: ReadModelReader;

  constructor(dataSource: DataSource) {
    this.reader = new ReadModelReader(dataSource);
  }

  private conditions(request: Omit<AlertsRequest, 'paging'>): Conditions {
    const c = new Conditions();
    c.add(`raised_at_ms <= ${c.param(BigInt(request.now.getTime()))}`);
    const scope = request.scope;
    if (scope.kind === 'party') c.listHasOneOf('parties', [scope.uscc]);
    if (scope.kind === 'regulator') {
      c.listHasRegion('districts', scope.regions);
      c.listHasOneOf('categories', scope.categories);
    }
    if (request.kind !== undefined) c.add(`kind = ${c.param(request.kind)}`);
    if (request.status === 'open') c.add('resolved_at_ms IS NULL');
    if (request.status === 'resolved') c.add('resolved_at_ms IS NOT NULL');
    // an alert nobody acted on has no lifecycle row: it is open
    if (request.state === 'open') c.add('state IS NULL');
    if (request.state === 'acknowledged' || request.state === 'closed')
      c.add(`state = ${c.param(request.state)}`);
    if (request.party !== undefined) c.listHasOneOf('parties', [request.party]);
    if (request.region !== undefined) c.listHasRegion('districts', [request.region]);
    if (request.category !== undefined) c.listHasOneOf('categories', [request.category]);
    if (request.from !== undefined) c.add(`raised_at_ms >= ${c.param(BigInt(request.from.getTime()))}`);
    if (request.to !== undefined) c.add(`raised_at_ms < ${c.param(BigInt(request.to.getTime()))}`);
    return c;
  }

  async alerts(request: AlertsRequest): Promise<AlertsAnswer> {
    const where = this.conditions(request);
    const { page, pageSize } = request.paging;
    if (!Number.isSafeInteger(page) || page < 1 || !Number.isSafeInteger(pageSize) || pageSize < 1)
      throw new Error('page and pageSize must be positive integers');
    const from = `FROM ${this.joined()} ${where.sql}`;
    const [[checkpoint], [count], rows] = await this.reader.snapshot([
      this.reader.checkpointStatement(ALERTS_PROJECTION),
      { sql: `SELECT COUNT(*) AS n ${from}`, params: where.params },
      {
        sql: `SELECT ${COLUMNS} ${from}
              ORDER BY raised_at_ms DESC, raised_by DESC, id ASC
              LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`,
        params: where.params,
      },
    ]);
    return {
      asOf: request.now.toISOString(),
      alerts: rows.map(alertOf),
      page,
      pageSize,
      total: Number(bigintOf(count.n)),
      position: formatPosition(bigintOf(checkpoint.position)),
    };
  }

  /** `alert` with the lifecycle of each alert beside it (none: open); its column names are all distinct. */
  private joined(): string {
    return `${this.reader.table('alert')} LEFT JOIN ${this.reader.table(alertLifecycles)} ON alert_id = id`;
  }

  /** One alert raised by `now` with its history, as `scope` may read it; undefined when there is none. */
  async alert(id: string, now: Date): Promise<AlertWithHistory | undefined> {
    const where = this.conditions({ scope: { kind: 'all' }, now });
    where.add(`id = ${where.param(id)}`);
    const [[checkpoint], [row]] = await this.reader.snapshot([
      this.reader.checkpointStatement(ALERTS_PROJECTION),
      { sql: `SELECT ${COLUMNS} FROM ${this.joined()} ${where.sql}`, params: where.params },
    ]);
    if (row === undefined) return undefined;
    const lifecycle = jsonOf<{ history?: AlertHistoryStep[] }>(row.lifecycle) ?? {};
    return {
      ...alertOf(row),
      history: lifecycle.history ?? [],
      position: formatPosition(bigintOf(checkpoint.position)),
    };
  }

  /**
   * What the lifecycle's decisions need of an alert raised by `now` (libs/ledger AlertFactsReader): whom it
   * names with their districts, its categories, and the position they were read at.
   */
  async facts(id: string, now: Date): Promise<AlertFacts | undefined> {
    const found = await this.alert(id, now);
    if (found === undefined) return undefined;
    return {
      alertId: found.id,
      kind: found.kind,
      parties: found.parties.map((p) => ({ uscc: p.uscc, role: p.role, districtCode: p.districtCode })),
      categories: [...found.categories],
      raisedAt: found.raisedAt,
      readAt: found.position,
    };
  }

  /** Open alerts by kind as of `now` (every kind present, 0 when none): the gauge's reading. */
  async openCounts(now: Date): Promise<Record<AlertKind, number>> {
    const where = this.conditions({ scope: { kind: 'all' }, status: 'open', now });
    const [rows] = await this.reader.snapshot([
      {
        sql: `SELECT kind, COUNT(*) AS n FROM ${this.reader.table('alert')} ${where.sql} GROUP BY kind`,
        params: where.params,
      },
    ]);
    const counts = Object.fromEntries(ALERT_KINDS.map((k) => [k, 0])) as Record<AlertKind, number>;
    for (const row of rows) counts[textOf(row.kind) as AlertKind] = Number(bigintOf(row.n));
    return counts;
  }
}

const COLUMNS =
  'id, kind, manifest_no, trace_code, district, categories, raised_at, resolved_at, details, state, lifecycle';

function alertOf(row: SqlRow): AlertView {
  const lifecycle =
    jsonOf<{ acknowledged?: AlertAcknowledgementView; closed?: AlertClosureView }>(row.lifecycle) ?? {};
  const details = jsonOf<Record<string, unknown>>(row.details);
  const { parties, ...rest } = details as { parties?: AlertParty[] } & Record<string, unknown>;
  const categories = undelimited(textOf(row.categories));
  const manifestNo = textOf(row.manifest_no);
  const traceCode = textOf(row.trace_code);
  const resolvedAt = textOf(row.resolved_at);
  return {
    id: textOf(row.id) as string,
    kind: textOf(row.kind) as AlertKind,
    status: resolvedAt === null ? 'open' : 'resolved',
    subject: { ...(manifestNo ? { manifestNo } : {}), ...(traceCode ? { traceCode } : {}) },
    parties: parties ?? [],
    district: textOf(row.district) as string,
    category: categories.length === 1 ? categories[0] : null,
    categories,
    raisedAt: textOf(row.raised_at) as string,
    resolvedAt,
    details: rest,
    state: (textOf(row.state) as AlertLifecycleState | null) ?? 'open',
    acknowledged: lifecycle.acknowledged ?? null,
    closed: lifecycle.closed ?? null,
  };
}
