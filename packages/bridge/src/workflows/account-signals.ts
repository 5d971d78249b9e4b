import { defineSignal } from '@temporalio/workflow';

/**
 * A `CHANNEL_ACCOUNT_*` webhook, reduced to the ids the bridge trusts
 * (https://developers.hubspot.com/changelog/custom-channels-api-is-now-live).
 */
export interface AccountEvent {
  readonly type: 'CHANNEL_ACCOUNT_CREATED' | 'CHANNEL_ACCOUNT_UPDATED' | 'CHANNEL_ACCOUNT_PURGED';
  readonly portalId: string;
  readonly accountId: string;
}

/**
 * Delivered with signal-with-start to `account:{accountId}`. Safe to import outside workflows (no activities proxy).
 */
export const accountEventSignal = defineSignal<[AccountEvent]>('accountEvent');

/** One lifecycle workflow per channel account; unique within the app's channel. */
export const accountWorkflowId = (accountId: string) => `account:${accountId}`;
