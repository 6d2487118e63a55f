import { defineWrite } from '../writes/write-definition';
import { AcknowledgeAlertDto, AcknowledgeAlertResponseDto } from './acknowledge-alert.dto';

export const acknowledgeAlertWrite = defineWrite({
  type: 'acknowledge-alert',
  route: 'POST /v1/alerts/{alertId}/acknowledge',
  tag: 'alerts',
  body: AcknowledgeAlertDto,
  bulk: false,
  response: AcknowledgeAlertResponseDto,
  summary: 'Acknowledge an alert (a party it names, with a note)',
  description:
    'AlertAcknowledged in `alert-<alertId>`: the alert goes from open to acknowledged, with the party, its role on ' +
    'the alert and the note. Only a party the alert names (403 alert-not-concerning-party, also for an alert that ' +
    'does not exist or is not raised yet), only while open (409 alert-already-acknowledged / alert-already-closed).',
});
