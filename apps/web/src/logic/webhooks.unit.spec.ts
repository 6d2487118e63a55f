import { attemptOutcome, eventTypesOf, webhookBody } from './webhooks';

describe('the webhooks page', () => {
  it('reads the event types as typed, any separator, each once; none means every type', () => {
    expect(eventTypesOf('ManifestIssued, ManifestReceived，BatchGenerated\nManifestIssued')).toEqual([
      'ManifestIssued',
      'ManifestReceived',
      'BatchGenerated',
    ]);
    expect(eventTypesOf('  ')).toBeUndefined();
  });

  it('sends the URL trimmed, and the types only when some are named', () => {
    expect(webhookBody(' https://erp.example.com/hook ', '')).toEqual({
      url: 'https://erp.example.com/hook',
    });
    expect(webhookBody('https://erp.example.com/hook', 'ManifestIssued')).toEqual({
      url: 'https://erp.example.com/hook',
      eventTypes: ['ManifestIssued'],
    });
  });

  it('names an attempt delivered, refused by the receiver, or unanswered', () => {
    expect(attemptOutcome({ ok: true, status: 200 })).toBe('delivered');
    expect(attemptOutcome({ ok: false, status: 503 })).toBe('refused');
    expect(attemptOutcome({ ok: false, status: null })).toBe('unanswered');
  });
});
