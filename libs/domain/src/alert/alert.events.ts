import { eventTime, type DomainEventOf, type EventTime } from '../events/envelope';
import { list, oneOf, record, text } from '../events/shape';
import { regulatorShape, type Regulator } from '../party/jurisdiction';

/**
 * The lifecycle of an alert (DESIGN §2 "Alerts have a life", ADR 0015): open → acknowledged (by the party
 * concerned, with a note) → closed (by a regulator in scope, with a finding). An alert itself is derived
 * (the alerts projection raises it from the ledger's facts and the clock); what people do about it are
 * facts, recorded on a stream of its own, `alert-<alertId>`. Nothing is recorded while it is open.
 */

/** A party named on the alert, with its role there and its district (as the alerts read model has it). */
export interface AlertPartyFact {
  readonly uscc: string;
  readonly role: string;
  readonly districtCode: string;
}

/**
 * The alert as the decision saw it (read from the alerts read model, ADR 0015): who it concerns, where,
 * which categories. Carried on each lifecycle event so the decision can be checked against the ledger
 * replayed to `readAt`, and so the feed and the webhooks scope the event without a read model.
 */
export interface AlertFacts {
  readonly alertId: string;
  /** `overdue_manifest`, `discrepancy`, … (the alerts projection's kinds). */
  readonly kind: string;
  /** The party the alert is first about comes first. */
  readonly parties: readonly AlertPartyFact[];
  readonly categories: readonly string[];
  readonly raisedAt: string;
  /** The read model's position (a decimal string) the facts were read at. */
  readonly readAt: string;
}

/** Stream `alert-<alertId>`. */
export interface AlertAcknowledgedData extends EventTime {
  readonly alertId: string;
  /** The party that acknowledged it: one named on the alert. */
  readonly actorUscc: string;
  /** Its role on the alert (shipper, carrier, receiver, holder, generator, custodian). */
  readonly role: string;
  readonly note: string;
  readonly alert: AlertFacts;
}

export const ALERT_CLOSED_FROM = ['open', 'acknowledged'] as const;

export interface AlertClosedData extends EventTime {
  readonly alertId: string;
  /** Who closed it: a regulator's token and the scope it held then. */
  readonly regulator: Regulator;
  readonly finding: string;
  /** The state it was closed from: a regulator may close an alert nobody acknowledged (ADR 0015). */
  readonly closedFrom: (typeof ALERT_CLOSED_FROM)[number];
  readonly alert: AlertFacts;
}

export type AlertAcknowledged = DomainEventOf<'AlertAcknowledged', AlertAcknowledgedData>;
export type AlertClosed = DomainEventOf<'AlertClosed', AlertClosedData>;

export type AlertEvent = AlertAcknowledged | AlertClosed;
export type AlertEventType = AlertEvent['type'];

const alertFacts = record<AlertFacts>({
  alertId: text,
  kind: text,
  parties: list(record<AlertPartyFact>({ uscc: text, role: text, districtCode: text })),
  categories: list(text),
  raisedAt: text,
  readAt: text,
});

/** The shapes of the data (checked when a stored event is decoded; exactly the interfaces above). */
export const ALERT_EVENT_SHAPES = {
  AlertAcknowledged: record<AlertAcknowledgedData>({
    alertId: text,
    actorUscc: text,
    role: text,
    note: text,
    alert: alertFacts,
    ...eventTime,
  }),
  AlertClosed: record<AlertClosedData>({
    alertId: text,
    regulator: regulatorShape,
    finding: text,
    closedFrom: oneOf(ALERT_CLOSED_FROM),
    alert: alertFacts,
    ...eventTime,
  }),
};
