/**
 * One Idempotency-Key per user intent: the key is made when the user starts a write and kept until the
 * API answers it with anything but a network failure, so a double click or a retry on a flaky phone
 * connection sends the same key (the API then answers the first response and records once). Changing the
 * form's content starts a new intent, since the same key with another body is refused.
 */
export class Intent {
  private key: string | undefined;
  private body: string | undefined;

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  /** The key for this body: the pending one while the body is the same, a new one otherwise. */
  keyFor(body: unknown): string {
    const serialized = JSON.stringify(body);
    if (this.key === undefined || this.body !== serialized) {
      this.key = this.newKey();
      this.body = serialized;
    }
    return this.key;
  }

  /** The API answered (success or refusal): the next submission is a new intent. */
  settle(): void {
    this.key = undefined;
    this.body = undefined;
  }
}
