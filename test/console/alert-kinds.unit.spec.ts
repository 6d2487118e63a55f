import { ALERT_KINDS as API_KINDS } from '../../libs/projections/src/alerts/alerts.tables';
import { ALERT_KINDS as CONSOLE_KINDS } from '../../apps/web/src/logic/alert-kinds';
import en from '../../apps/web/src/i18n/en.reference.json';
import zh from '../../apps/web/src/i18n/zh-CN.reference.json';

/** The API's alert kinds are the contract: the console offers each, spelled the same, labelled in both languages. */
describe('the console knows every alert kind of the API', () => {
  it.each([...API_KINDS])('%s: offered on the alerts page', (kind) => {
    expect(CONSOLE_KINDS).toContain(kind);
  });

  it.each([...CONSOLE_KINDS])('%s: labelled in zh-CN and English, with the API spelling (underscores)', (kind) => {
    expect(kind).toMatch(/^[a-z]+(_[a-z]+)*$/);
    expect((zh.alertKind as Record<string, string>)[kind]).toEqual(expect.any(String));
    expect((en.alertKind as Record<string, string>)[kind]).toEqual(expect.any(String));
  });
});
