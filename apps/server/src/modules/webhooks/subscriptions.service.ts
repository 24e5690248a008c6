import {
  CreateWebhookSubscriptionBody,
  MAX_WEBHOOK_SUBSCRIPTIONS_PER_APP,
  UpdateWebhookSubscriptionBody,
  type CreateWebhookSubscriptionInput,
  type UpdateWebhookSubscriptionInput,
  type WebhookSubscription,
  type WebhookSubscriptionWithSecret,
} from '@frontdesk/protocol';
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.ts';
import { newId } from '../../platform/ids.ts';
import { deleteJobGroup, pauseJobGroup, resumeJobGroup } from '../../platform/jobs/index.ts';
import type { Storage, Tx } from '../../platform/storage/storage.ts';
import { newWebhookSecret } from './signing.ts';
import { checkTargetUrl, type TargetPolicy } from './target-url.ts';
import { WebhookError } from './webhooks.errors.ts';
import { toSubscription, WEBHOOK_DELIVERY_JOB, type SubscriptionRow } from './webhooks.repository.ts';

/** After a rotation the previous secret also signs for this long, so receivers can switch over. */
export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** A 2048-bit RSA key pair (PEM) that signs an `anychat` subscription's notifies when its signType is RSA. */
async function newRsaKeyPair(): Promise<{ rsa_private_key: string; rsa_public_key: string }> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { rsa_private_key: privateKey, rsa_public_key: publicKey };
}

export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const detail = result.error.issues.map((i) => `/${i.path.join('/')}: ${i.message}`).join('; ');
  throw new WebhookError('FD_REQ_INVALID', `invalid ${what}: ${detail}`);
}

/**
 * Subscriptions: an app's receivers, each with a URL, an event filter and a signing secret
 * (`whsec_…`, answered only at creation and rotation). Every query is scoped by app id.
 */
export function createSubscriptionsService({ storage, clock, policy }: { storage: Storage; clock: Clock; policy: TargetPolicy }) {
  const { db } = storage;

  async function lockedRow(tx: Tx, appId: string, id: string): Promise<SubscriptionRow> {
    const row = await storage.forUpdate(tx.selectFrom('webhook_subscriptions').selectAll().where('app_id', '=', appId).where('id', '=', id)).executeTakeFirst();
    if (!row) throw new WebhookError('FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} not found`);
    return row;
  }

  /** Applies `change` to the subscription's row under its lock, and `also` in the same transaction; answers the result. */
  async function change(
    appId: string,
    id: string,
    change: (row: SubscriptionRow, now: number) => Partial<SubscriptionRow>,
    also?: (tx: Tx, now: number) => Promise<void>,
  ): Promise<SubscriptionRow> {
    return db.transaction().execute(async (tx) => {
      const row = await lockedRow(tx, appId, id);
      const now = Math.max(clock.now(), Number(row.updated_at));
      const values = { ...change(row, now), updated_at: now };
      await tx.updateTable('webhook_subscriptions').set(values).where('app_id', '=', appId).where('id', '=', id).execute();
      await also?.(tx, now);
      return { ...row, ...values };
    });
  }

  return {
    async listSubscriptions(appId: string): Promise<WebhookSubscription[]> {
      const rows = await db.selectFrom('webhook_subscriptions').selectAll().where('app_id', '=', appId).orderBy('created_at').orderBy('id').execute();
      return rows.map(toSubscription);
    },

    async getSubscription(appId: string, id: string): Promise<WebhookSubscription> {
      const row = await db.selectFrom('webhook_subscriptions').selectAll().where('app_id', '=', appId).where('id', '=', id).executeTakeFirst();
      if (!row) throw new WebhookError('FD_WEBHOOK_SUBSCRIPTION_NOT_FOUND', `webhook subscription ${id} not found`);
      return toSubscription(row);
    },

    async createSubscription(appId: string, input: CreateWebhookSubscriptionInput): Promise<WebhookSubscriptionWithSecret> {
      const body = parseInput(CreateWebhookSubscriptionBody, input, 'webhook subscription');
      const url = checkTargetUrl(body.url, policy);
      const now = clock.now();
      const row: SubscriptionRow = {
        id: newId('whs'),
        app_id: appId,
        url,
        format: body.format,
        sign_type: body.signType,
        ...(body.signType === 'RSA' ? await newRsaKeyPair() : { rsa_private_key: null, rsa_public_key: null }),
        description: body.description,
        event_types: body.eventTypes === null ? null : JSON.stringify([...new Set(body.eventTypes)]),
        secret: newWebhookSecret(),
        previous_secret: null,
        previous_secret_expires_at: null,
        enabled: 1,
        disabled_reason: null,
        created_at: now,
        updated_at: now,
      };
      await db.transaction().execute(async (tx) => {
        // Serializes creations of one app, so the limit holds under concurrent requests.
        await storage.lockKey(tx, `webhooks.subscriptions:${appId}`);
        const { count } = await tx
          .selectFrom('webhook_subscriptions')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('app_id', '=', appId)
          .executeTakeFirstOrThrow();
        if (Number(count) >= MAX_WEBHOOK_SUBSCRIPTIONS_PER_APP) {
          throw new WebhookError('FD_WEBHOOK_SUBSCRIPTION_LIMIT_REACHED', `an app has at most ${MAX_WEBHOOK_SUBSCRIPTIONS_PER_APP} webhook subscriptions`);
        }
        await tx.insertInto('webhook_subscriptions').values(row).execute();
      });
      return { ...toSubscription(row), secret: row.secret };
    },

    /** Fields left out keep their value. Deliveries already made keep going to the new URL. */
    async updateSubscription(appId: string, id: string, patch: UpdateWebhookSubscriptionInput): Promise<WebhookSubscription> {
      const body = parseInput(UpdateWebhookSubscriptionBody, patch, 'webhook subscription update');
      const url = body.url === undefined ? undefined : checkTargetUrl(body.url, policy);
      // Generated outside the row lock (it takes tens of ms); used only if the subscription has no key yet.
      const keyPair = body.signType === 'RSA' ? await newRsaKeyPair() : undefined;
      const row = await change(appId, id, (current) => ({
        ...(body.signType === undefined ? {} : { sign_type: body.signType }),
        ...(keyPair && current.rsa_private_key === null ? keyPair : {}),
        ...(url === undefined ? {} : { url }),
        ...(body.format === undefined ? {} : { format: body.format }),
        ...(body.description === undefined ? {} : { description: body.description }),
        ...(body.eventTypes === undefined ? {} : { event_types: body.eventTypes === null ? null : JSON.stringify([...new Set(body.eventTypes)]) }),
      }));
      return toSubscription(row);
    },

    /** Deletes the subscription with its deliveries and their attempt log. */
    async deleteSubscription(appId: string, id: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await lockedRow(tx, appId, id);
        await deleteJobGroup(tx, WEBHOOK_DELIVERY_JOB, appId, id);
        await tx.deleteFrom('webhook_subscriptions').where('app_id', '=', appId).where('id', '=', id).execute();
      });
    },

    /**
     * A new secret, answered once; the previous one keeps signing (as a second signature) for 24 h.
     * An RSA-signed `anychat` subscription also gets a new key pair, at once (a notify carries one
     * signature): give the receiver the new `rsaPublicKeyPem`.
     */
    async rotateSecret(appId: string, id: string): Promise<WebhookSubscriptionWithSecret> {
      const secret = newWebhookSecret();
      const keyPair = await newRsaKeyPair();
      const row = await change(appId, id, (current, now) => ({
        secret,
        previous_secret: current.secret,
        previous_secret_expires_at: now + SECRET_ROTATION_OVERLAP_MS,
        ...(current.sign_type === 'RSA' ? keyPair : {}),
      }));
      return { ...toSubscription(row), secret };
    },

    /** Deliveries waiting for a disabled subscription resume where they were (its group of jobs is resumed). */
    async enableSubscription(appId: string, id: string): Promise<WebhookSubscription> {
      return toSubscription(
        await change(
          appId,
          id,
          () => ({ enabled: 1, disabled_reason: null }),
          (tx) => resumeJobGroup(tx, WEBHOOK_DELIVERY_JOB, id),
        ),
      );
    },

    /** No attempts while disabled (its group of jobs is paused), and no deliveries are made for events of that time (replay them). */
    async disableSubscription(appId: string, id: string): Promise<WebhookSubscription> {
      return toSubscription(
        await change(
          appId,
          id,
          () => ({ enabled: 0, disabled_reason: 'admin' }),
          (tx, now) => pauseJobGroup(tx, WEBHOOK_DELIVERY_JOB, id, now),
        ),
      );
    },
  };
}

export type SubscriptionsService = ReturnType<typeof createSubscriptionsService>;
