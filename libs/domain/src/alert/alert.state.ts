import { evolveBy, fits, type Folded, misfit } from '../fold';
import { assertNever } from '../util';
import type { AlertEvent } from './alert.events';

export interface AlertAcknowledgement {
  readonly actorUscc: string;
  readonly role: string;
  readonly at: string;
  readonly note: string;
}

export interface AlertClosure {
  readonly tokenId: string;
  readonly at: string;
  readonly finding: string;
}

/**
 * An alert's lifecycle as its stream records it. An empty stream is an open alert (the alert itself is
 * derived, so no event opens it): the decision learns from the read model whether it exists at all.
 */
export type AlertState =
  | { readonly status: 'open' }
  | { readonly status: 'acknowledged'; readonly alertId: string; readonly acknowledged: AlertAcknowledgement }
  | {
      readonly status: 'closed';
      readonly alertId: string;
      readonly acknowledged?: AlertAcknowledgement;
      readonly closed: AlertClosure;
    };

export type AlertLifecycleState = AlertState['status'];

export const ALERT_LIFECYCLE_STATES: readonly AlertLifecycleState[] = ['open', 'acknowledged', 'closed'];

export const initialAlertState: AlertState = { status: 'open' };

/** Total (fold.ts): an event that does not fit (acknowledged twice, closed twice) changes nothing. */
export const evolveAlert = evolveBy(stepAlert);

export function stepAlert(state: AlertState, event: AlertEvent): Folded<AlertState> {
  switch (event.type) {
    case 'AlertAcknowledged': {
      if (state.status !== 'open') return misfit(state, `alert already ${state.status}`);
      const d = event.data;
      return fits({
        status: 'acknowledged',
        alertId: d.alertId,
        acknowledged: { actorUscc: d.actorUscc, role: d.role, at: d.occurredAt, note: d.note },
      });
    }
    case 'AlertClosed': {
      if (state.status === 'closed') return misfit(state, 'alert already closed');
      const d = event.data;
      if (d.closedFrom !== state.status)
        return misfit(state, `closed from ${d.closedFrom} but the alert was ${state.status}`);
      return fits({
        status: 'closed',
        alertId: d.alertId,
        ...(state.status === 'acknowledged' ? { acknowledged: state.acknowledged } : {}),
        closed: { tokenId: d.regulator.tokenId, at: d.occurredAt, finding: d.finding },
      });
    }
    default:
      return assertNever(event, 'alert event');
  }
}
