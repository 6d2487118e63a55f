/**
 * The webhooks page's small rules: the event types as typed (commas, Chinese commas, spaces or new lines
 * between names; none means every type), and what a delivery attempt says in a word.
 */
export function eventTypesOf(text: string): string[] | undefined {
  const types = [...new Set(text.split(/[\s,，、;；]+/).filter((t) => t !== ''))];
  return types.length === 0 ? undefined : types;
}

/** The body of POST /v1/webhooks: the URL as typed (trimmed), the types only when some were named. */
export function webhookBody(url: string, typesText: string): { url: string; eventTypes?: string[] } {
  const eventTypes = eventTypesOf(typesText);
  return eventTypes === undefined ? { url: url.trim() } : { url: url.trim(), eventTypes };
}

/** An attempt's outcome: delivered (2xx), refused by the receiver (its status), or no answer at all. */
export function attemptOutcome(attempt: {
  ok: boolean;
  status: number | null;
}): 'delivered' | 'refused' | 'unanswered' {
  if (attempt.ok) return 'delivered';
  return attempt.status === null ? 'unanswered' : 'refused';
}
