import { requireText, type CommandTime, type DecideOptions } from '../decide-options';
import { domainEvent } from '../events/event-catalogue';
import { regulatorCovers, type Regulator } from '../party/jurisdiction';
import { textProblem } from '../values/text';
import { checkCommandTime } from '../values/time';
import { parseUscc } from '../values/uscc';
import {
  AlertAlreadyAcknowledged,
  AlertAlreadyClosed,
  AlertNotConcerningParty,
  AlertOutsideJurisdiction,
  InvalidAlertId,
} from './alert.errors';
import type { AlertEvent, AlertFacts } from './alert.events';
import type { AlertState } from './alert.state';

/**
 * `<kind>:<subject…>`: the ids the alerts projection derives from a kind and its subject (a manifest number,
 * a trace code, an event id, a USCC and permit number — a permit number is free text, so the subject is any
 * text the text rule accepts, without spaces at its ends).
 */
const ALERT_ID = /^[a-z][a-z_]{0,39}:\S(.*\S)?$/su;
export const ALERT_ID_MAX = 250;

export function parseAlertId(value: unknown, field = 'alertId'): string {
  if (
    typeof value !== 'string' ||
    value.length > ALERT_ID_MAX ||
    !ALERT_ID.test(value) ||
    textProblem(value, ALERT_ID_MAX) !== undefined ||
    value.normalize('NFC') !== value
  )
    throw new InvalidAlertId(field, typeof value === 'string' ? value : String(value));
  return value;
}

/**
 * The alert's facts given by the command side, or undefined when the alert does not exist (or is not raised
 * yet at the time of the command). They must be about the alert the command names.
 */
function factsOf(alertId: string, alert: AlertFacts | undefined): AlertFacts | undefined {
  if (alert !== undefined && alert.alertId !== alertId)
    throw new Error(`alert facts of ${alert.alertId} given for ${alertId}`);
  return alert;
}

/** A party acknowledges an alert about it, with a note (what it did or will do). */
export interface AcknowledgeAlertCommand extends CommandTime {
  readonly alertId: string;
  readonly actorUscc: string;
  readonly note: string;
  readonly alert: AlertFacts | undefined;
}

/**
 * Only a party named on the alert (the alert concerns each party it names: the shipper, carrier and
 * receiver of an overdue manifest alike), and only while the alert is open. The standing check comes before
 * the state's, so a stranger learns nothing of the state.
 */
export function decideAcknowledgeAlert(
  command: AcknowledgeAlertCommand,
  state: AlertState,
  options: DecideOptions = {},
): AlertEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const alertId = parseAlertId(command.alertId);
  const actorUscc = parseUscc(command.actorUscc, 'actorUscc');
  const note = requireText(command.note, 'note');
  const alert = factsOf(alertId, command.alert);
  const party = alert?.parties.find((p) => p.uscc === actorUscc);
  if (alert === undefined || party === undefined) throw new AlertNotConcerningParty(alertId, actorUscc);
  if (state.status === 'closed') throw new AlertAlreadyClosed(alertId, state.closed.at);
  if (state.status === 'acknowledged')
    throw new AlertAlreadyAcknowledged(alertId, state.acknowledged.actorUscc, state.acknowledged.at);
  return [
    domainEvent('AlertAcknowledged', {
      alertId,
      actorUscc,
      role: party.role,
      note,
      alert,
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}

/** A regulator closes an alert in its scope with a finding (what it found and decided). */
export interface CloseAlertCommand extends CommandTime {
  readonly alertId: string;
  readonly regulator: Regulator;
  readonly finding: string;
  readonly alert: AlertFacts | undefined;
}

/**
 * Only a regulator whose regions hold a party of the alert and whose categories include one of its
 * categories (the rule by which it reads the alert), from open or acknowledged: a regulator need not wait
 * for a party that never answers (ADR 0015). Closed is final.
 */
export function decideCloseAlert(
  command: CloseAlertCommand,
  state: AlertState,
  options: DecideOptions = {},
): AlertEvent[] {
  const { late } = checkCommandTime(command, options.time);
  const alertId = parseAlertId(command.alertId);
  const finding = requireText(command.finding, 'finding');
  const alert = factsOf(alertId, command.alert);
  const { tokenId, districts, categories } = command.regulator;
  const scope = { districts, categories };
  if (
    alert === undefined ||
    !regulatorCovers(scope, {
      districts: alert.parties.map((p) => p.districtCode).filter((d) => d !== ''),
      categories: alert.categories,
    })
  )
    throw new AlertOutsideJurisdiction(alertId, districts, categories);
  if (state.status === 'closed') throw new AlertAlreadyClosed(alertId, state.closed.at);
  return [
    domainEvent('AlertClosed', {
      alertId,
      regulator: { tokenId, districts: [...districts], categories: [...categories] },
      finding,
      closedFrom: state.status,
      alert,
      occurredAt: command.occurredAt,
      late,
    }),
  ];
}
