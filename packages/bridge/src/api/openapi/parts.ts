import { providerKinds } from '../../providers/registry.js';

/** Building blocks of the admin API's OpenAPI document (src/api/openapi/admin.ts): schemas and answers it repeats. */
export const error = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'string', description: 'a reason a person can read' } },
};
export const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
export const str = (description: string) => ({ type: 'string', description });
export const optionalStr = (description: string) => ({ type: ['string', 'null'], description });
/** "a, b or c": the registered providers' kinds, as the `provider` field takes them. */
export function providerKindsText(): string {
  const kinds = providerKinds();
  return kinds.length > 1 ? `${kinds.slice(0, -1).join(', ')} or ${kinds.at(-1)}` : (kinds[0] ?? '');
}

export const retryAdvice = {
  type: 'object',
  required: ['retryable', 'label', 'reason'],
  description:
    'whether POST /admin/messages/{id}/retry acts on the message now, how, or why not and what to do instead',
  properties: {
    retryable: { type: 'boolean' },
    kind: {
      type: 'string',
      enum: ['reset', 'resend'],
      description: 'reset: the failed run goes on from its failed step; resend: a new run sends a failed reply again',
    },
    label: {
      type: 'string',
      enum: [
        'resend',
        'reset',
        'no: held',
        'no: in flight',
        'no: delivered',
        'no: published',
        'no: not failed',
        'no: sent, then failed',
        'no: refused as written',
      ],
      description: "the last two only in show: they are read from the failed run's history",
    },
    reason: str('what a retry does, or why there is none and what to do instead'),
  },
};

export const runSummary = {
  type: 'object',
  required: ['runId', 'executionStatus', 'startTime', 'uiUrl'],
  properties: {
    runId: str('one run of the message'),
    executionStatus: str("Temporal's status of that run"),
    status: str('BridgeStatus of that run; PUBLISHED for a completed inboundMessageWorkflowV4 or V3 run'),
    startTime: { type: 'string', format: 'date-time' },
    closeTime: { type: 'string', format: 'date-time' },
    outcome: str("how it ended: a reply's result (FAILED: <reason>), or the run's failure"),
    uiUrl: { type: 'string', format: 'uri' },
  },
};

export const messageSummary = {
  type: 'object',
  required: ['workflowId', 'runId', 'workflowType', 'executionStatus', 'startTime', 'uiUrl', 'retry'],
  properties: {
    workflowId: str('inbound:{accountId}:{providerMessageId} or outbound:{hubspotMessageId}; also the idempotency key'),
    runId: str('the run shown'),
    workflowType: str(
      'inboundMessageWorkflowV4 or outboundMessageWorkflowV3 (inboundMessageWorkflowV3, inboundMessageWorkflowV2, inboundMessageWorkflow, outboundMessageWorkflowV2 and outboundMessageWorkflow: started by earlier versions)',
    ),
    executionStatus: {
      type: 'string',
      enum: [
        'RUNNING',
        'COMPLETED',
        'FAILED',
        'CANCELLED',
        'TERMINATED',
        'CONTINUED_AS_NEW',
        'TIMED_OUT',
        'UNKNOWN',
        'UNSPECIFIED',
        'PAUSED',
      ],
    },
    status: {
      type: 'string',
      enum: ['ACCEPTED', 'HELD', 'PUBLISHED', 'SENT', 'READ', 'FAILED'],
      description:
        "the bridge's status: search attribute BridgeStatus, except a completed inboundMessageWorkflowV4 or V3 run, which is PUBLISHED (it sets no status when it publishes)",
    },
    direction: { type: 'string', enum: ['inbound', 'outbound'] },
    provider: str(providerKindsText()),
    accountId: str('HubSpot channel account id'),
    conversationKey: str('{accountId}:{providerChatId}'),
    providerMessageId: str("the provider's message id"),
    hubspotMessageId: str("HubSpot's message id"),
    startTime: { type: 'string', format: 'date-time' },
    closeTime: { type: 'string', format: 'date-time' },
    uiUrl: { type: 'string', format: 'uri', description: "this run in Temporal's UI" },
    retry: { $ref: '#/components/schemas/RetryAdvice' },
  },
};

export const timelineEntry = {
  type: 'object',
  required: ['at', 'kind', 'name', 'errors'],
  properties: {
    at: { type: 'string', description: 'when the step began (ISO 8601)' },
    kind: {
      type: 'string',
      enum: ['workflow', 'activity', 'signal', 'signal-sent', 'timer', 'status', 'workflow-task'],
    },
    name: str('activity type, signal name, timer id or status value'),
    outcome: str(
      'completed, failed, timed-out, canceled, running, scheduled, fired, started, terminated, continued-as-new, set',
    ),
    attempts: { type: 'integer', minimum: 0 },
    durationMs: { type: 'integer', description: 'from scheduling to the result' },
    lastAttemptMs: { type: 'integer', description: 'the last attempt alone' },
    errors: { type: 'array', items: { type: 'string' }, description: 'oldest first, each prefixed with its attempt' },
    detail: optionalStr('activity id, timer duration, signal target…'),
  },
};

export const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
export const deadLetterSummary = {
  type: 'object',
  required: ['id', 'source', 'type', 'reason', 'receivedAt', 'bytes', 'replayAttempts'],
  properties: {
    id: str('a digest of the event: the same event delivered twice is one letter'),
    source: { type: 'string', enum: ['hubspot'] },
    type: str("a type the bridge knows, or 'unusable' (the label of bridge_hubspot_events_dead_lettered_total)"),
    receivedType: str('the type the event named, cut to 100 characters'),
    eventId: str("the event's own eventId"),
    reason: str('why the bridge could not use it, from the last try'),
    receivedAt: { type: 'string', format: 'date-time' },
    bytes: { type: 'integer', minimum: 0, description: "the kept body's size" },
    replayAttempts: { type: 'integer', minimum: 0, description: 'replays that found it unusable again' },
    lastReplayAt: { type: 'string', format: 'date-time' },
  },
};
export const replayOutcome = {
  oneOf: [
    {
      type: 'object',
      required: ['kind', 'workflowId', 'duplicate'],
      properties: {
        kind: { const: 'accepted' },
        workflowId: str('outbound:{hubspotMessageId}'),
        duplicate: { type: 'boolean', description: 'the workflow had already been started' },
      },
    },
    {
      type: 'object',
      required: ['kind', 'type'],
      properties: { kind: { const: 'account-event' }, type: str("handed to the account's lifecycle workflow") },
    },
    {
      type: 'object',
      required: ['kind', 'type'],
      properties: { kind: { const: 'ignored' }, type: str('a type the bridge acknowledges and does not handle') },
    },
  ],
};

/** Answers every admin operation can give besides its own: the guard's and the error handler's. */
export const guarded = (disabledToo = '') => ({
  '401': errorResponse('admin token missing or wrong'),
  '503': errorResponse(`admin API disabled (no BRIDGE_ADMIN_TOKEN)${disabledToo}`),
  '500': errorResponse('internal error (the reason stays in the log; look for the X-Request-Id answered)'),
});
