import { Inject, Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { SqlClient } from '@accord/eventstore';
import { SQL_CLIENT } from '@accord/service-kit';
import { NOTIFICATION_OPTIONS, type NotificationServiceOptions } from '../notification-options';
import { SECRET_PREFIX } from './webhook-signature';

/** A new signing secret: `whsec_` and 32 random bytes in base64 (Standard Webhooks). */
export function mintWebhookSecret(): string {
  return `${SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

/** What events and lists may hold of a secret (NOT-12): a short prefix and the SHA-256. */
export function secretFingerprint(secret: string): { secretPrefix: string; secretHash: string } {
  return {
    secretPrefix: secret.slice(0, SECRET_PREFIX.length + 4),
    secretHash: createHash('sha256').update(secret).digest('hex'),
  };
}

/** The AES-256-GCM key for stored secrets, derived from the service's link key (its one secret key). */
export function sealingKeyOf(linkKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', linkKey, 'accord', 'webhook-signing-secrets/v1', 32));
}

/** `secret` encrypted for the row of `endpointId` (the id is authenticated: a row cannot be swapped). */
export function sealSecret(key: Buffer, endpointId: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(Buffer.from(endpointId));
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64');
}

export function openSecret(key: Buffer, endpointId: string, sealed: string): string {
  const raw = Buffer.from(sealed, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12)).setAAD(Buffer.from(endpointId));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
}

/**
 * The signing secrets of the endpoints (NOT-12). The sender must sign with the secret itself, so a
 * hash is not enough: it is kept here encrypted (AES-256-GCM, key derived from the link key), never
 * in an event, a list, a log or a delivery table. Not a read model: events cannot rebuild it.
 */
@Injectable()
export class WebhookSecrets {
  private readonly key: Buffer;

  constructor(
    @Inject(SQL_CLIENT) private readonly sql: SqlClient,
    @Inject(NOTIFICATION_OPTIONS) options: NotificationServiceOptions,
  ) {
    this.key = sealingKeyOf(options.linkKey);
  }

  static async setup(sql: SqlClient): Promise<void> {
    await sql.query(`CREATE TABLE IF NOT EXISTS webhook_secrets (endpoint_id uuid PRIMARY KEY, sealed text NOT NULL)`);
  }

  async store(endpointId: string, secret: string): Promise<void> {
    await this.sql.query(`INSERT INTO webhook_secrets (endpoint_id, sealed) VALUES ($1, $2)`, [
      endpointId,
      sealSecret(this.key, endpointId, secret),
    ]);
  }

  async secretOf(endpointId: string): Promise<string | null> {
    const { rows } = await this.sql.query<{ sealed: string }>(
      `SELECT sealed FROM webhook_secrets WHERE endpoint_id = $1`,
      [endpointId],
    );
    return rows[0] ? openSecret(this.key, endpointId, rows[0].sealed) : null;
  }

  async forget(endpointId: string): Promise<void> {
    await this.sql.query(`DELETE FROM webhook_secrets WHERE endpoint_id = $1`, [endpointId]);
  }
}
