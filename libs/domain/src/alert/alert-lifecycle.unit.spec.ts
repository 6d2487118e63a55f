import {
  AlertAlreadyAcknowledged,
  AlertAlreadyClosed,
  AlertNotConcerningParty,
  AlertOutsideJurisdiction,
  InvalidAlertId,
  InvalidText,
} from '../errors';
import { domainEvent } from '../events/event-catalogue';
import { alertStream } from '../streams';
import {
  CARRIER,
  GENERATOR,
  RECEIVER,
  STRANGER,
  XIHU,
  XIAOSHAN,
  deciderSpec,
  givenStream,
  timed,
} from '../testing';
import {
  decideAcknowledgeAlert,
  decideCloseAlert,
  type AcknowledgeAlertCommand,
  type CloseAlertCommand,
} from './alert-lifecycle.decide';
import type { AlertEvent, AlertFacts } from './alert.events';
import { evolveAlert, initialAlertState, type AlertState } from './alert.state';

const ALERT_ID = 'overdue_manifest:20253301000001';

/** An overdue manifest of hazardous waste: shipper in 西湖区, carrier and receiver elsewhere in Hangzhou. */
const FACTS: AlertFacts = {
  alertId: ALERT_ID,
  kind: 'overdue_manifest',
  parties: [
    { uscc: GENERATOR, role: 'shipper', districtCode: XIHU },
    { uscc: CARRIER, role: 'carrier', districtCode: '330105' },
    { uscc: RECEIVER, role: 'receiver', districtCode: XIAOSHAN },
  ],
  categories: ['hazardous'],
  raisedAt: '2025-03-11T00:00:00.000+08:00',
  readAt: '42',
};

const ACK_TIME = timed('2025-03-11T09:00');
const CLOSE_TIME = timed('2025-03-12T15:00');

function acknowledgeCommand(o: Partial<AcknowledgeAlertCommand> = {}): AcknowledgeAlertCommand {
  return {
    alertId: ALERT_ID,
    actorUscc: CARRIER,
    note: '车辆故障，已于次日送达',
    alert: FACTS,
    ...ACK_TIME,
    ...o,
  };
}

const HANGZHOU_HAZARDOUS = { tokenId: 'tok-hz', districts: ['3301'], categories: ['hazardous'] };

function closeCommand(o: Partial<CloseAlertCommand> = {}): CloseAlertCommand {
  return {
    alertId: ALERT_ID,
    regulator: HANGZHOU_HAZARDOUS,
    finding: '核实属实，已责令承运单位整改',
    alert: FACTS,
    ...CLOSE_TIME,
    ...o,
  };
}

const acknowledged = domainEvent('AlertAcknowledged', {
  alertId: ALERT_ID,
  actorUscc: CARRIER,
  role: 'carrier',
  note: '车辆故障，已于次日送达',
  alert: FACTS,
  occurredAt: ACK_TIME.occurredAt,
  late: false,
});

const closedAfterAcknowledgement = domainEvent('AlertClosed', {
  alertId: ALERT_ID,
  regulator: HANGZHOU_HAZARDOUS,
  finding: '核实属实，已责令承运单位整改',
  closedFrom: 'acknowledged',
  alert: FACTS,
  occurredAt: CLOSE_TIME.occurredAt,
  late: false,
});

const acknowledge = deciderSpec<AcknowledgeAlertCommand, AlertState, AlertEvent, AlertEvent[]>({
  decide: (c, s) => decideAcknowledgeAlert(c, s),
  evolve: evolveAlert,
  initialState: initialAlertState,
});
const close = deciderSpec<CloseAlertCommand, AlertState, AlertEvent, AlertEvent[]>({
  decide: (c, s) => decideCloseAlert(c, s),
  evolve: evolveAlert,
  initialState: initialAlertState,
});

describe('acknowledging an alert (the party concerned, with a note)', () => {
  it('given an open alert, when a party it names acknowledges with a note, then AlertAcknowledged with its role and the facts seen', () => {
    acknowledge.given([]).when(acknowledgeCommand()).then([acknowledged]);
  });

  it('given an open alert, when its shipper acknowledges, then the role recorded is shipper', () => {
    const [event] = acknowledge
      .given([])
      .when(acknowledgeCommand({ actorUscc: GENERATOR }))
      .result();
    expect(event.type === 'AlertAcknowledged' && event.data.role).toBe('shipper');
  });

  it('given an open alert, when a party it does not name acknowledges, then AlertNotConcerningParty', () => {
    acknowledge
      .given([])
      .when(acknowledgeCommand({ actorUscc: STRANGER }))
      .thenThrows(AlertNotConcerningParty, { alertId: ALERT_ID, actorUscc: STRANGER });
  });

  it('given no such alert, when a party acknowledges, then the same AlertNotConcerningParty as not concerned', () => {
    const unknown = acknowledge
      .given([])
      .when(acknowledgeCommand({ alert: undefined }))
      .thenThrows(AlertNotConcerningParty);
    const stranger = acknowledge
      .given([])
      .when(acknowledgeCommand({ actorUscc: STRANGER }))
      .thenThrows(AlertNotConcerningParty);
    expect(unknown.message).toBe(stranger.message.replace(STRANGER, CARRIER));
  });

  it('given an acknowledged alert, when acknowledged again, then AlertAlreadyAcknowledged', () => {
    acknowledge
      .given([acknowledged])
      .when(acknowledgeCommand({ actorUscc: RECEIVER }))
      .thenThrows(AlertAlreadyAcknowledged, { acknowledgedBy: CARRIER });
  });

  it('given a closed alert, when acknowledged, then AlertAlreadyClosed', () => {
    acknowledge
      .given([acknowledged, closedAfterAcknowledgement])
      .when(acknowledgeCommand())
      .thenThrows(AlertAlreadyClosed);
  });

  it('given a stranger and a closed alert, when it acknowledges, then AlertNotConcerningParty (standing before state)', () => {
    acknowledge
      .given([acknowledged, closedAfterAcknowledgement])
      .when(acknowledgeCommand({ actorUscc: STRANGER }))
      .thenThrows(AlertNotConcerningParty);
  });

  it('given an open alert, when the note is empty or carries a control character, then InvalidText naming note', () => {
    acknowledge
      .given([])
      .when(acknowledgeCommand({ note: '  ' }))
      .thenThrows(InvalidText, { field: 'note' });
    acknowledge
      .given([])
      .when(acknowledgeCommand({ note: 'a\u0000b' }))
      .thenThrows(InvalidText, { field: 'note' });
  });

  it('given a note in decomposed form with spaces, then it is recorded NFC and trimmed', () => {
    const [event] = acknowledge
      .given([])
      .when(acknowledgeCommand({ note: ' Cafe\u0301 ' }))
      .result();
    expect(event.type === 'AlertAcknowledged' && event.data.note).toBe('Caf\u00e9');
  });

  it('given a malformed alert id, then InvalidAlertId', () => {
    acknowledge
      .given([])
      .when(acknowledgeCommand({ alertId: 'no-kind' }))
      .thenThrows(InvalidAlertId);
  });
});

describe('closing an alert (a regulator in scope, with a finding)', () => {
  it('given an acknowledged alert, when a regulator of its city and category closes it, then AlertClosed from acknowledged', () => {
    close.given([acknowledged]).when(closeCommand()).then([closedAfterAcknowledgement]);
  });

  it('given an open alert nobody acknowledged, when a regulator in scope closes it, then AlertClosed from open', () => {
    const [event] = close.given([]).when(closeCommand()).result();
    expect(event.type === 'AlertClosed' && event.data.closedFrom).toBe('open');
  });

  it('given a regulator of a district of any party named (the receiver’s 萧山区), then it may close it', () => {
    const regulator = { tokenId: 'tok-xs', districts: [XIAOSHAN], categories: ['hazardous'] };
    const [event] = close.given([acknowledged]).when(closeCommand({ regulator })).result();
    expect(event.type).toBe('AlertClosed');
  });

  it('given a regulator of another city, then AlertOutsideJurisdiction', () => {
    const regulator = { tokenId: 'tok-nb', districts: ['3302'], categories: ['hazardous'] };
    close
      .given([acknowledged])
      .when(closeCommand({ regulator }))
      .thenThrows(AlertOutsideJurisdiction, { alertId: ALERT_ID, districts: ['3302'] });
  });

  it('given a regulator of the city for another category, then AlertOutsideJurisdiction', () => {
    const regulator = { tokenId: 'tok-cg', districts: ['3301'], categories: ['household'] };
    close.given([acknowledged]).when(closeCommand({ regulator })).thenThrows(AlertOutsideJurisdiction);
  });

  it('given no such alert, then the same AlertOutsideJurisdiction as out of scope', () => {
    const unknown = close
      .given([])
      .when(closeCommand({ alert: undefined }))
      .thenThrows(AlertOutsideJurisdiction);
    expect(unknown.details).toEqual({ alertId: ALERT_ID, districts: ['3301'], categories: ['hazardous'] });
  });

  it('given a closed alert, when closed again, then AlertAlreadyClosed', () => {
    close
      .given([acknowledged, closedAfterAcknowledgement])
      .when(closeCommand({ finding: '再次关闭' }))
      .thenThrows(AlertAlreadyClosed, { closedAt: CLOSE_TIME.occurredAt });
  });

  it('given an alert, when the finding is missing, then InvalidText naming finding', () => {
    close
      .given([acknowledged])
      .when(closeCommand({ finding: '' }))
      .thenThrows(InvalidText, { field: 'finding' });
  });
});

describe('folding an alert stream', () => {
  it('given acknowledged then closed, when checked, then consistent and closed with both steps', () => {
    const stream = alertStream(ALERT_ID);
    givenStream(stream, [acknowledged, closedAfterAcknowledgement])
      .whenChecked()
      .thenAssert((c) => expect(c).toMatchObject({ consistent: true, eventsChecked: 2 }));
    expect([acknowledged, closedAfterAcknowledgement].reduce(evolveAlert, initialAlertState)).toEqual({
      status: 'closed',
      alertId: ALERT_ID,
      acknowledged: {
        actorUscc: CARRIER,
        role: 'carrier',
        at: ACK_TIME.occurredAt,
        note: '车辆故障，已于次日送达',
      },
      closed: { tokenId: 'tok-hz', at: CLOSE_TIME.occurredAt, finding: '核实属实，已责令承运单位整改' },
    });
  });

  it('given a closure that claims acknowledged on an open alert, when checked, then it does not fit', () => {
    givenStream(alertStream(ALERT_ID), [closedAfterAcknowledgement])
      .whenChecked()
      .thenAssert((c) => expect(c.consistent).toBe(false));
  });
});
