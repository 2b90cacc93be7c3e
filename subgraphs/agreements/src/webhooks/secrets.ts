import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A new signing secret: `whsec_` + 32 random bytes, base64 (Standard Webhooks). */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString('base64')}`;

const keyOf = (secretKey: string) => createHash('sha256').update(secretKey).digest();

/**
 * Encrypts a signing secret for the database (AES-256-GCM, a fresh IV each time):
 * `v1.<iv>.<tag>.<ciphertext>`, base64url parts. The key is WEBHOOK_SECRET_KEY's SHA-256.
 */
export function encryptSecret(secret: string, secretKey: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(secretKey), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body].map((p) => p.toString('base64url')).join('.');
}

/** The signing secret behind `stored`; throws (without the value) when it cannot be read. */
export function decryptSecret(stored: string, secretKey: string): string {
  const [version, iv, tag, body] = stored.split('.');
  if (version !== 'v1' || !iv || !tag || !body) {
    throw new Error('the stored webhook secret is not encrypted with a known scheme');
  }
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyOf(secretKey),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    throw new Error('the stored webhook secret cannot be decrypted (WEBHOOK_SECRET_KEY changed?)');
  }
}

/** How long the secret before a rotation keeps signing. */
export const ROTATION_OVERLAP_MS = 24 * 3_600_000;

/** The secrets (encrypted) that sign a delivery at `now`: the current one, and the previous within its overlap. */
export function signingSecrets(
  s: { secret: string; previousSecret: string | null; previousSecretUntil: Date | null },
  now: Date,
): string[] {
  return s.previousSecret && s.previousSecretUntil && s.previousSecretUntil > now
    ? [s.secret, s.previousSecret]
    : [s.secret];
}
