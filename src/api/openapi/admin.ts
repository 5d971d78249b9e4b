/**
 * OpenAPI 3.1 description of the admin API (served at GET /admin/openapi.json). Kept by hand beside the
 * routes (src/api/routes/admin.ts); test/api/admin-openapi.test.ts validates it and checks every route is in it.
 */
const error = { type: 'object', required: ['error'], properties: { error: { type: 'string', description: 'a reason a person can read' } } };
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const str = (description: string) => ({ type: 'string', description });
const optionalStr = (description: string) => ({ type: ['string', 'null'], description });

const messageSummary = {
  type: 'object',
  required: ['workflowId', 'runId', 'workflowType', 'executionStatus', 'startTime', 'uiUrl'],
  properties: {
    workflowId: str('inbound:{accountId}:{providerMessageId} or outbound:{hubspotMessageId}; also the idempotency key'),
    runId: str('the run shown'),
    workflowType: str('inboundMessageWorkflow or outboundMessageWorkflow'),
    executionStatus: { type: 'string', enum: ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED', 'TERMINATED', 'CONTINUED_AS_NEW', 'TIMED_OUT', 'UNKNOWN', 'UNSPECIFIED', 'PAUSED'] },
    status: { type: 'string', enum: ['ACCEPTED', 'HELD', 'PUBLISHED', 'SENT', 'READ', 'FAILED'], description: "the bridge's status (search attribute BridgeStatus)" },
    direction: { type: 'string', enum: ['inbound', 'outbound'] },
    provider: str('telegram, whatsapp or generic'),
    accountId: str('HubSpot channel account id'),
    conversationKey: str('{accountId}:{providerChatId}'),
    providerMessageId: str("the provider's message id"),
    hubspotMessageId: str("HubSpot's message id"),
    startTime: { type: 'string', format: 'date-time' },
    closeTime: { type: 'string', format: 'date-time' },
    uiUrl: { type: 'string', format: 'uri', description: "this run in Temporal's UI" },
  },
};

const timelineEntry = {
  type: 'object',
  required: ['at', 'kind', 'name', 'errors'],
  properties: {
    at: { type: 'string', description: 'when the step began (ISO 8601)' },
    kind: { type: 'string', enum: ['workflow', 'activity', 'signal', 'signal-sent', 'timer', 'status', 'workflow-task'] },
    name: str('activity type, signal name, timer id or status value'),
    outcome: str('completed, failed, timed-out, canceled, running, scheduled, fired, started, terminated, continued-as-new, set'),
    attempts: { type: 'integer', minimum: 0 },
    durationMs: { type: 'integer', description: 'from scheduling to the result' },
    lastAttemptMs: { type: 'integer', description: 'the last attempt alone' },
    errors: { type: 'array', items: { type: 'string' }, description: 'oldest first, each prefixed with its attempt' },
    detail: optionalStr('activity id, timer duration, signal target…'),
  },
};

const idParam = { name: 'id', in: 'path', required: true, description: 'HubSpot message id, provider message id, or workflow id', schema: { type: 'string', minLength: 1 } };
const query = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const common = { '401': errorResponse('admin token missing or wrong'), '503': errorResponse('admin API disabled (no BRIDGE_ADMIN_TOKEN), or Temporal unreachable') };

export const adminOpenApi = {
  openapi: '3.1.0',
  info: { title: 'channel-bridge admin API', version: '1.0.0', description: 'Find a message, read its timeline, list and retry messages. The same functions as `channel-bridge messages`.' },
  servers: [{ url: '/' }],
  security: [{ adminToken: [] }],
  paths: {
    '/admin/messages': {
      get: {
        operationId: 'listMessages',
        summary: 'Messages matching every filter given, newest first',
        parameters: [
          query('account', 'channel account id (BridgeAccountId)'),
          query('conversation', 'conversation key (BridgeConversationKey)'),
          query('status', 'BridgeStatus, any case', { type: 'string', enum: ['ACCEPTED', 'HELD', 'PUBLISHED', 'SENT', 'READ', 'FAILED', 'accepted', 'held', 'published', 'sent', 'read', 'failed'] }),
          query('direction', 'inbound or outbound', { type: 'string', enum: ['inbound', 'outbound'] }),
          query('since', 'ISO time, or a duration back from now: 30m, 12h, 7d'),
          query('until', 'ISO time, or a duration back from now'),
          query('limit', 'at most this many (default 50)', { type: 'integer', minimum: 1, maximum: 1000 }),
        ],
        responses: {
          '200': { description: 'the messages', content: { 'application/json': { schema: { type: 'object', required: ['messages'], properties: { messages: { type: 'array', items: { $ref: '#/components/schemas/MessageSummary' } } } } } } },
          '400': errorResponse('a filter is not valid (the reason says which and why)'),
          ...common,
        },
      },
    },
    '/admin/messages/{id}': {
      get: {
        operationId: 'showMessage',
        summary: "A message's status, its timeline from the workflow history, and its Temporal UI link",
        parameters: [idParam],
        responses: {
          '200': { description: 'the message', content: { 'application/json': { schema: { $ref: '#/components/schemas/MessageReport' } } } },
          '404': errorResponse('no message has this id'),
          '409': errorResponse('a provider message id used by several accounts: use a workflow id'),
          ...common,
        },
      },
    },
    '/admin/messages/{id}/retry': {
      post: {
        operationId: 'retryMessage',
        summary: 'Re-run a failed message from its failed step, with the same workflow id and idempotency key',
        parameters: [idParam],
        responses: {
          '202': { description: 'the workflow was reset; the new run is working', content: { 'application/json': { schema: { $ref: '#/components/schemas/RetryResult' } } } },
          '404': errorResponse('no message has this id'),
          '409': errorResponse('the message has not failed (or the id is ambiguous)'),
          ...common,
        },
      },
    },
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'BRIDGE_ADMIN_TOKEN' } },
    schemas: {
      Error: error,
      MessageSummary: messageSummary,
      MessageReport: {
        allOf: [{ $ref: '#/components/schemas/MessageSummary' }, { type: 'object', required: ['timeline'], properties: { timeline: { type: 'array', items: { $ref: '#/components/schemas/TimelineEntry' } } } }],
      },
      TimelineEntry: timelineEntry,
      RetryResult: {
        type: 'object',
        required: ['workflowId', 'previousRunId', 'runId', 'fromStep', 'resetToEventId', 'uiUrl'],
        properties: {
          workflowId: str('unchanged: the same idempotency key'),
          previousRunId: str('the failed run'),
          runId: str('the new run'),
          fromStep: str('the activity that runs again first'),
          resetToEventId: { type: 'integer', description: 'the WorkflowTaskCompleted event the run was reset to' },
          uiUrl: { type: 'string', format: 'uri' },
        },
      },
    },
  },
} as const;
