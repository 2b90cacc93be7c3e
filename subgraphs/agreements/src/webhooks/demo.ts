import type { IncomingMessage, ServerResponse } from 'node:http';
import { type Database, runAsSystem } from '@trellis/prisma';
import { Webhook } from 'standardwebhooks';
import { createPrisma } from '../prisma.js';
import { encryptSecret, newSigningSecret } from './secrets.js';
import { webhookSettings } from './settings.js';

export const DEMO_RECEIVER_PATH = '/demo/webhook-receiver';

/**
 * The embedded demo's subscription: `orgId`'s events, all types, to the demo receiver at `url`.
 * Created once; its secret is renewed on every start (the receiver of this process holds it).
 * Answers the secret.
 */
export async function ensureDemoSubscription(
  db: Database,
  orgId: string,
  url: string,
): Promise<string> {
  const prisma = createPrisma(db);
  const secret = newSigningSecret();
  const stored = encryptSecret(secret, webhookSettings().secretKey);
  try {
    await runAsSystem('demo-webhooks', async () => {
      const { count } = await prisma.webhookSubscription.updateMany({
        where: { orgId, url },
        data: { secret: stored, previousSecret: null, previousSecretUntil: null },
      });
      if (count === 0) {
        await prisma.webhookSubscription.create({
          data: {
            orgId,
            url,
            eventTypes: ['*'],
            description: 'the embedded demo receiver (GET it to see what arrived)',
            secret: stored,
          },
        });
      }
    });
  } finally {
    await prisma.$disconnect();
  }
  return secret;
}

interface Received {
  webhookId: string;
  type: string | null;
  verified: boolean;
  receivedAt: string;
}

/**
 * The demo's receiver, on the gateway's port: POST verifies the Standard Webhooks signature
 * with the demo subscription's secret and answers 204 (400 when it does not verify); GET lists
 * the last 50 messages received, newest first.
 */
export function demoReceiver(secret: string) {
  const webhook = new Webhook(secret);
  const received: Received[] = [];
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== DEMO_RECEIVER_PATH) return false;
    if (req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return true;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'GET, POST' }).end();
      return true;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let verified = true;
    let type: string | null = null;
    try {
      type =
        (webhook.verify(body, req.headers as Record<string, string>) as { type?: string }).type ??
        null;
    } catch {
      verified = false;
    }
    received.unshift({
      webhookId: String(req.headers['webhook-id'] ?? ''),
      type,
      verified,
      receivedAt: new Date().toISOString(),
    });
    received.length = Math.min(received.length, 50);
    res.writeHead(verified ? 204 : 400).end();
    return true;
  };
}
