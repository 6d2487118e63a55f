import {
  Controller,
  Get,
  Inject,
  Injectable,
  Param,
  Query,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { getDataSourceToken } from '@nestjs/typeorm';
import { Gauge, type Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import {
  AlertNotFound,
  CST_OFFSET_MS,
  daysInMonth,
  parseInstant,
  type AlertLifecycleState,
} from '@wasteflow/domain';
import { CLOCK, type Clock } from '@wasteflow/event-store';
import type { Principal } from '@wasteflow/ledger';
import {
  ALERT_KINDS,
  AlertsQuery,
  type AlertKind,
  type AlertStatus,
  type AlertsAnswer,
  type AlertWithHistory,
} from '@wasteflow/projections';
import { Allow, CurrentPrincipal } from '../access/access.decorators';
import { ApiRead } from '../common/openapi';
import { AlertIdPipe } from '../common/path-params';
import { METRICS_REGISTRY } from '../observability/metrics.module';
import { InvalidRequest } from '../problems/invalid-request.exception';
import { AlertsQueryDto, AlertsResponseDto, AlertWithHistoryDto } from './alerts.dto';
import { ReadQueryDto } from './indicators.dto';
import { dashboardScope } from './inventory.controller';
import { ReadYourWrites } from './read-your-writes';
import { readScoped } from '@wasteflow/integration';
import { pagingOf } from './inventory.dto';

/** `wasteflow_alerts_open{kind}`: open alerts by kind, counted at scrape time against the CLOCK. */
@Injectable()
export class AlertsMetrics implements OnModuleInit {
  constructor(
    private readonly alerts: AlertsQuery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
  ) {}

  onModuleInit(): void {
    if (this.registry.getSingleMetric('wasteflow_alerts_open')) return;
    const alerts = this.alerts;
    const clock = this.clock;
    new Gauge({
      name: 'wasteflow_alerts_open',
      help: 'Open alerts by kind (discrepancy, overdue_manifest, overdue_storage, late_entry), as of the scrape',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      async collect() {
        try {
          const counts = await alerts.openCounts(clock.now());
          for (const kind of ALERT_KINDS) this.set({ kind }, counts[kind]);
        } catch {
          // a scrape never fails because the read-model database is briefly unavailable: the last values stay
        }
      },
    });
  }
}

export const ALERTS_PROVIDERS: Provider[] = [
  {
    provide: AlertsQuery,
    useFactory: (dataSource: DataSource) => new AlertsQuery(dataSource),
    inject: [getDataSourceToken()],
  },
  AlertsMetrics,
];

/**
 * A bound of the period of raisedAt: a CST month `YYYY-MM`, a CST day `YYYY-MM-DD` or an ISO 8601 instant;
 * `from` is where it starts, `to` where it ends (so `from=2026-03&to=2026-03` is March). 400 naming the field.
 */
export function alertPeriodBound(name: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const invalid = () =>
    InvalidRequest.field(
      name,
      'isPeriod',
      `${name} must be a month (YYYY-MM), a day (YYYY-MM-DD) or an ISO 8601 time with an offset`,
    );
  const m = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(value);
  if (m) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) throw invalid();
    if (m[3] === undefined)
      return new Date(Date.UTC(year, name === 'from' ? month - 1 : month, 1) - CST_OFFSET_MS);
    const day = Number(m[3]);
    if (day < 1 || day > daysInMonth(year, month)) throw invalid();
    return new Date(Date.UTC(year, month - 1, name === 'from' ? day : day + 1) - CST_OFFSET_MS);
  }
  try {
    const ms = parseInstant(value, name);
    return new Date(name === 'from' ? ms : ms + 1);
  } catch {
    throw invalid();
  }
}

@ApiTags('read models')
@Controller('v1/alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsQuery,
    private readonly readYourWrites: ReadYourWrites,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @Allow('party', 'regulator', 'auditor')
  @ApiRead({
    summary: 'Alerts: discrepancies, overdue manifests, overdue storage, late entries',
    description:
      'Newest first, paged. Deadlines are evaluated at the time of the request: an overdue manifest or storage shows once ' +
      'its deadline has passed, and is resolved by the receipt or by leaving storage (kept, resolved, when that came late). ' +
      'A party sees the alerts naming it; a regulator those with a party in its regions, for its categories; an auditor all. ' +
      '`state` is the alert’s life: open, acknowledged (by a party it names), closed (by a regulator in scope).',
    ok: AlertsResponseDto,
    problems: [400, 401, 403, 503],
  })
  async get(@CurrentPrincipal() principal: Principal, @Query() query: AlertsQueryDto): Promise<AlertsAnswer> {
    const from = alertPeriodBound('from', query.from);
    const to = alertPeriodBound('to', query.to);
    if (from && to && from.getTime() >= to.getTime())
      throw InvalidRequest.field('to', 'isPeriod', 'to must be after from');
    const scope = dashboardScope(principal, query);
    await this.readYourWrites.reach(query.minPosition, 'alerts');
    return this.alerts.alerts({
      scope,
      kind: query.kind as AlertKind | undefined,
      status: query.status as AlertStatus | undefined,
      state: query.state as AlertLifecycleState | undefined,
      party: query.party,
      region: query.region,
      category: query.category,
      from,
      to,
      paging: pagingOf(query),
      now: this.clock.now(),
    });
  }

  @Get(':alertId')
  @Allow('party', 'regulator', 'auditor')
  @ApiParam({ name: 'alertId', example: 'overdue_manifest:20263301000001' })
  @ApiRead({
    summary: 'One alert with the history of its life (acknowledgement, closure: who, when, note, finding)',
    description:
      'As GET /v1/alerts shows it, plus `history`. Scoped as the list: an alert the caller may not read and one that ' +
      'does not exist (or is not raised yet) are the same 403; only an auditor learns 404.',
    ok: AlertWithHistoryDto,
    problems: [400, 401, 403, 404, 503],
  })
  async one(
    @CurrentPrincipal() principal: Principal,
    @Param('alertId', AlertIdPipe) alertId: string,
    @Query() query: ReadQueryDto,
  ): Promise<AlertWithHistory> {
    await this.readYourWrites.reach(query.minPosition, 'alerts');
    const { view } = await readScoped(principal, `alert ${alertId}`, async () => {
      const found = await this.alerts.alert(alertId, this.clock.now());
      if (found === undefined) throw new AlertNotFound(alertId);
      return {
        view: found,
        access: {
          parties: found.parties.map((p) => p.uscc),
          districts: found.parties.map((p) => p.districtCode).filter((d) => d !== ''),
          categories: found.categories,
        },
      };
    });
    return view;
  }
}
