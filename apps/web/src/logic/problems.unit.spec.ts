import en from '../i18n/en.reference.json';
import zh from '../i18n/zh-CN.reference.json';
import { messagesFor, problemToForm, withoutField, type Translate } from './problems';

/** A translate over one message file, like vue-i18n's (named values `{field}` filled in). */
function translator(messages: Record<string, unknown>): Translate {
  return (key, values) => {
    const found = key.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], messages);
    if (typeof found !== 'string') return undefined;
    return found.replace(/\{(\w+)\}/g, (_, name: string) => String(values?.[name] ?? ''));
  };
}

describe('problem documents to form messages', () => {
  const invalid = {
    type: 'https://wasteflow.example/problems/invalid-request',
    title: 'Invalid request',
    status: 400,
    detail: 'massKg: must be a number of kilograms; lines.0.traceCode: mistyped',
    rule: 'invalid-request',
    errors: [
      { field: 'massKg', rule: 'isMassKg', message: 'massKg must be a number of kilograms > 0 with at most 3 decimals' },
      { field: 'lines.0.traceCode', rule: 'isTraceCode', message: 'lines.0.traceCode must be a trace code' },
      { field: 'lines.0.traceCode', rule: 'some-future-rule', message: 'the API’s own words' },
    ],
  };

  it('maps each field’s rule to a message in the user’s language', () => {
    const form = problemToForm(invalid, translator(zh));
    expect(form.fields.massKg).toEqual(['请输入大于 0 的重量（千克），最多 3 位小数']);
    expect(form.summary).toBe('填写内容有误，请检查标出的项目');
    expect(problemToForm(invalid, translator(en)).fields.massKg).toEqual(['Enter a mass in kg above 0 with at most 3 decimals']);
  });

  it('keeps the API’s message for a rule the message files do not know', () => {
    const form = problemToForm(invalid, translator(zh));
    expect(form.fields['lines.0.traceCode']).toEqual(['浙固码有误（校验位不符），请核对', 'the API’s own words']);
    expect(messagesFor(form, 'lines')).toHaveLength(2);
    expect(messagesFor(form, 'massKg')).toHaveLength(1);
    expect(messagesFor(form, 'mass')).toHaveLength(0);
  });

  it('names a domain refusal in the user’s language, with the API’s detail beside it', () => {
    const form = problemToForm(
      { status: 422, rule: 'treatment-exceeds-held-mass', detail: 'batch X holds 2 kg', title: 'Unprocessable' },
      translator(zh),
    );
    expect(form.summary).toBe('利用/处置重量超过持有量 (batch X holds 2 kg)');
    expect(problemToForm({ status: 503 }, translator(en)).summary).toBe('Unavailable: try again shortly');
  });

  it('drops an edited field’s messages and its sub-fields’, and the refusal once no marked field is left', () => {
    const form = problemToForm(invalid, translator(en));
    const edited = withoutField(form, 'massKg');
    expect(messagesFor(edited, 'massKg')).toEqual([]);
    expect(messagesFor(edited, 'lines')).toHaveLength(2);
    expect(edited?.summary).toBe(form.summary);
    expect(withoutField(form, 'mass')).toBe(form);
    expect(withoutField(form, 'lines.0')).toEqual({ summary: form.summary, fields: { massKg: form.fields.massKg } });
    expect(withoutField(edited, 'lines')).toBeUndefined();
    expect(withoutField(undefined, 'massKg')).toBeUndefined();
  });

  it('keeps a refusal that names no field when a field is edited', () => {
    const refusal = problemToForm({ status: 403, rule: 'not-current-carrier' }, translator(en));
    expect(withoutField(refusal, 'vehiclePlate')).toBe(refusal);
  });

  it('has a message in both languages for every rule the forms can meet', () => {
    const rules = Object.keys(zh.rules);
    expect(Object.keys(en.rules).sort()).toEqual(rules.sort());
    for (const rule of ['isMassKg', 'isTraceCode', 'isUscc', 'isVehiclePlate', 'isIsoInstant', 'rejection-reason-required',
      'not-custodian', 'permit-does-not-cover-waste', 'occurred-in-future', 'unauthenticated', 'forbidden']) {
      expect(zh.rules).toHaveProperty([rule]);
    }
  });
});
