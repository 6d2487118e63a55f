import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import type { PersonDetails } from '@wasteflow/domain';

/**
 * The cipher of a person's record (ADR 14, crypto-shredding): AES-256-GCM under a key of the person's own,
 * drawn from the CSPRNG. The person id is the additional authenticated data, so a record moved onto
 * another id does not open. Sealed bytes: version (1) ‖ nonce (12) ‖ tag (16) ‖ cipher text.
 */
const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const PERSON_KEY_BYTES = 32;

/** The record could not be opened: a wrong key, or bytes that were changed. */
export class PersonRecordUnreadable extends Error {
  constructor(readonly personId: string) {
    super(`the record of person ${personId} does not open with its key`);
    this.name = 'PersonRecordUnreadable';
  }
}

function aad(personId: string): Buffer {
  return Buffer.from(`wasteflow person record v1\n${personId}`, 'utf8');
}

export function newPersonKey(): Buffer {
  return randomBytes(PERSON_KEY_BYTES);
}

export function sealPerson(personId: string, details: PersonDetails, key: Buffer): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(personId));
  const plain = Buffer.from(JSON.stringify(details), 'utf8');
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), nonce, cipher.getAuthTag(), body]);
}

export function openPerson(personId: string, sealed: Buffer, key: Buffer): PersonDetails {
  if (sealed.length < 1 + NONCE_BYTES + TAG_BYTES || sealed[0] !== VERSION || key.length !== PERSON_KEY_BYTES)
    throw new PersonRecordUnreadable(personId);
  const nonce = sealed.subarray(1, 1 + NONCE_BYTES);
  const tag = sealed.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
  const body = sealed.subarray(1 + NONCE_BYTES + TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(personId));
    decipher.setAuthTag(tag);
    const plain = Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
    const parsed = JSON.parse(plain) as { name?: unknown; phone?: unknown };
    if (typeof parsed.name !== 'string') throw new Error('no name');
    return typeof parsed.phone === 'string'
      ? { name: parsed.name, phone: parsed.phone }
      : { name: parsed.name };
  } catch {
    throw new PersonRecordUnreadable(personId);
  }
}

/**
 * The id of a person named by a command: `p-` and 128 bits of HMAC over the command's entropy and the role
 * (`driver`, `escort`, `contact`), so every retry of the plan names the same person and the id says
 * nothing about the name.
 */
export function personIdFrom(entropy: string, role: string): string {
  const digest = createHmac('sha256', Buffer.from(entropy, 'hex')).update(`person:${role}`).digest('hex');
  return `p-${digest.slice(0, 32)}`;
}
