import { defaultPayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import type { temporal } from '@temporalio/proto';

// CommonJS package: its namespace object is the default export under ESM.
const { TimeoutType } = proto.temporal.api.enums.v1;

type Long = { toString(): string };
type Seconds = number | Long | null | undefined;

/** Milliseconds of a protobuf Timestamp or Duration (seconds may be a Long). */
export function protoMs(value: { seconds?: Seconds; nanos?: number | null } | null | undefined): number | undefined {
  if (!value) return undefined;
  const seconds =
    value.seconds == null ? 0 : typeof value.seconds === 'number' ? value.seconds : Number(value.seconds.toString());
  return seconds * 1000 + Math.round((value.nanos ?? 0) / 1e6);
}

export function protoIso(value: Parameters<typeof protoMs>[0]): string | undefined {
  const ms = protoMs(value);
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** "1.5s", "2m 3s", "1h 2m": short enough for a timeline column. */
export function humanDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h ${minutes % 60}m` : `${Math.floor(hours / 24)}d ${hours % 24}h`;
}

function timeoutName(type: temporal.api.enums.v1.TimeoutType | null | undefined): string {
  const name = type == null ? undefined : TimeoutType[type];
  return name ? name.replace('TIMEOUT_TYPE_', '').toLowerCase().replace(/_/g, '-') + ' timeout' : 'timeout';
}

/** The failure's message, with its type, and the root cause's message when it differs. */
export function failureText(failure: temporal.api.failure.v1.IFailure | null | undefined): string | undefined {
  if (!failure) return undefined;
  const type =
    failure.applicationFailureInfo?.type ??
    (failure.timeoutFailureInfo ? timeoutName(failure.timeoutFailureInfo.timeoutType) : undefined);
  let root = failure;
  while (root.cause) root = root.cause;
  const base = `${failure.message ?? 'failed'}${type ? ` (${type})` : ''}`;
  return root !== failure && root.message && root.message !== failure.message ? `${base}: ${root.message}` : base;
}

/** Decodes a search-attribute payload (JSON); keyword values come back as strings. */
export function payloadValue(payload: temporal.api.common.v1.IPayload | null | undefined): unknown {
  if (!payload) return undefined;
  try {
    const value = defaultPayloadConverter.fromPayload(
      payload as Parameters<typeof defaultPayloadConverter.fromPayload>[0],
    );
    return Array.isArray(value) && value.length === 1 ? value[0] : value;
  } catch {
    return undefined;
  }
}
