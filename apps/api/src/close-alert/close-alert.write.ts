import { defineWrite } from '../writes/write-definition';
import { CloseAlertDto, CloseAlertResponseDto } from './close-alert.dto';

export const closeAlertWrite = defineWrite({
  type: 'close-alert',
  route: 'POST /v1/alerts/{alertId}/close',
  tag: 'alerts',
  body: CloseAlertDto,
  bulk: false,
  response: CloseAlertResponseDto,
  summary: 'Close an alert (a regulator whose regions and categories cover it, with a finding)',
  description:
    'AlertClosed in `alert-<alertId>`, from open or acknowledged (a regulator need not wait for a party that never ' +
    'answers), with the regulator’s token and scope and the finding. Only a regulator that reads the alert: a ' +
    'party of it in its regions and a category of it in its categories (403 alert-outside-jurisdiction, also for ' +
    'an alert that does not exist or is not raised yet); closed is final (409 alert-already-closed).',
});
