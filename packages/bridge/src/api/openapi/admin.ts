/**
 * OpenAPI 3.1 description of the admin API (served behind the admin token at GET /admin/openapi.json). Kept by hand
 * beside the routes (src/api/routes/admin.ts, connect-admin.ts, admin/dead-letters.ts); test/api/admin-openapi.test.ts
 * validates it, walks the app's routers for every admin route, and calls each to check its answers are described.
 */
import { accountPaths, accountSchemas } from './accounts.js';
import {
  deadLetterSummary,
  error,
  errorResponse,
  guarded,
  messageSummary,
  query,
  replayOutcome,
  retryAdvice,
  runSummary,
  str,
  timelineEntry,
} from './parts.js';

const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'HubSpot message id, provider message id, or workflow id',
  schema: { type: 'string', minLength: 1 },
};
const deadLetterId = {
  name: 'id',
  in: 'path',
  required: true,
  description: "the dead letter's id (from the list, or `deadLettered[].id` in the webhook's answer)",
  schema: { type: 'string', minLength: 1 },
};
const deadLetterCommon = (temporal: boolean) =>
  guarded(
    `, or the store keeps no dead letters${temporal ? ', or Temporal unreachable (the letter is kept as it was)' : ''}`,
  );
const common = guarded(', or Temporal unreachable');

export const adminOpenApi = {
  openapi: '3.1.0',
  info: {
    title: 'channel-bridge admin API',
    version: '1.0.0',
    description:
      'Find a message, read its timeline, list and retry messages; list, read, replay and discard dead-lettered HubSpot events; list installed portals and connected accounts. The same functions as `channel-bridge messages` and `channel-bridge accounts`. Every operation, this document included, needs `Authorization: Bearer <BRIDGE_ADMIN_TOKEN>`: 401 without it or with a wrong one, 503 while the bridge has no admin token configured.',
  },
  servers: [{ url: '/' }],
  security: [{ adminToken: [] }],
  paths: {
    '/admin/openapi.json': {
      get: {
        operationId: 'openApi',
        summary: 'This document',
        responses: {
          '200': {
            description: 'the OpenAPI 3.1 document',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          ...guarded(),
        },
      },
    },
    '/admin/messages': {
      get: {
        operationId: 'listMessages',
        summary: 'Messages matching every filter given, newest first, each with whether and how it can be retried',
        description: 'A retried message is listed once, by its latest run; GET /admin/messages/{id} lists every run.',
        parameters: [
          query('account', 'channel account id (BridgeAccountId)'),
          query('conversation', 'conversation key (BridgeConversationKey)'),
          query(
            'status',
            'BridgeStatus, any case (PUBLISHED takes in completed inboundMessageWorkflowV4 and V3 runs)',
            {
              type: 'string',
              enum: [
                'ACCEPTED',
                'HELD',
                'PUBLISHED',
                'SENT',
                'READ',
                'FAILED',
                'accepted',
                'held',
                'published',
                'sent',
                'read',
                'failed',
              ],
            },
          ),
          query('direction', 'inbound or outbound', { type: 'string', enum: ['inbound', 'outbound'] }),
          query('since', 'ISO time, or a duration back from now: 30m, 12h, 7d'),
          query('until', 'ISO time, or a duration back from now'),
          query('limit', 'at most this many (default 50)', { type: 'integer', minimum: 1, maximum: 1000 }),
        ],
        responses: {
          '200': {
            description: 'the messages',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['messages'],
                  properties: { messages: { type: 'array', items: { $ref: '#/components/schemas/MessageSummary' } } },
                },
              },
            },
          },
          '400': errorResponse('a filter is not valid (the reason says which and why)'),
          ...common,
        },
      },
    },
    '/admin/messages/{id}': {
      get: {
        operationId: 'showMessage',
        summary:
          "A message's status, whether it can be retried, every run of it, the latest run's timeline, and its Temporal UI link",
        parameters: [idParam],
        responses: {
          '200': {
            description: 'the message',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/MessageReport' } } },
          },
          '404': errorResponse('no message has this id'),
          '409': errorResponse('a provider message id used by several accounts: use a workflow id'),
          ...common,
        },
      },
    },
    '/admin/messages/{id}/retry': {
      post: {
        operationId: 'retryMessage',
        summary:
          'Retry a failed message under the same workflow id: reset a failed run from its failed step, or send a failed reply again',
        description:
          "A message whose run failed is reset to its failed step. A reply that failed to reach the customer is sent again in a new run with a fresh delivery window: parts the customer already has are not sent again, and HubSpot's status moves from FAILED to SENT. Anything else is refused with 409 and the reason (held, in flight, delivered, published), as `retry` in the list and show answers says.",
        parameters: [idParam],
        responses: {
          '202': {
            description: 'the new run is working',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/RetryResult' } } },
          },
          '404': errorResponse('no message has this id'),
          '409': errorResponse(
            'nothing to retry, with why and what to do instead (held, in flight, delivered, published; a reply the provider took and later reported failed; a reply whose file the provider refuses), a retry already running, or an ambiguous id',
          ),
          ...common,
        },
      },
    },
    '/admin/dead-letters': {
      get: {
        operationId: 'listDeadLetters',
        summary: 'HubSpot events the bridge could not use, kept for a replay, newest first (without their bodies)',
        parameters: [query('limit', 'at most this many (default 50)', { type: 'integer', minimum: 1, maximum: 1000 })],
        responses: {
          '200': {
            description: 'the dead letters',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['deadLetters'],
                  properties: {
                    deadLetters: { type: 'array', items: { $ref: '#/components/schemas/DeadLetterSummary' } },
                  },
                },
              },
            },
          },
          '400': errorResponse('limit is not a whole number from 1 to 1000'),
          ...deadLetterCommon(false),
        },
      },
    },
    '/admin/dead-letters/{id}': {
      get: {
        operationId: 'showDeadLetter',
        summary: 'One dead letter with its event (customer data: ids, message text)',
        parameters: [deadLetterId],
        responses: {
          '200': {
            description: 'the dead letter',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/DeadLetter' } } },
          },
          '404': errorResponse('no dead letter has this id (never kept, replayed, discarded, or past retention)'),
          ...deadLetterCommon(false),
        },
      },
      delete: {
        operationId: 'discardDeadLetter',
        summary: 'Drop a dead letter without replaying it',
        parameters: [deadLetterId],
        responses: {
          '204': { description: 'discarded' },
          '404': errorResponse('no dead letter has this id'),
          ...deadLetterCommon(false),
        },
      },
    },
    '/admin/dead-letters/{id}/replay': {
      post: {
        operationId: 'replayDeadLetter',
        summary: "Feed the event through the webhook's handling again; on success the letter is removed",
        parameters: [deadLetterId],
        responses: {
          '200': {
            description: 'handled; the letter is removed',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ReplayResult' } } },
          },
          '404': errorResponse('no dead letter has this id'),
          '422': errorResponse('still unusable: the reason; the letter is kept with it and one more replay attempt'),
          ...deadLetterCommon(true),
        },
      },
    },
    ...accountPaths,
  },
  components: {
    securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'BRIDGE_ADMIN_TOKEN' } },
    schemas: {
      Error: error,
      ...accountSchemas,
      MessageSummary: messageSummary,
      MessageReport: {
        allOf: [
          { $ref: '#/components/schemas/MessageSummary' },
          {
            type: 'object',
            required: ['timeline', 'attempts'],
            properties: {
              timeline: {
                type: 'array',
                items: { $ref: '#/components/schemas/TimelineEntry' },
                description: "the latest run's",
              },
              attempts: {
                type: 'array',
                items: { $ref: '#/components/schemas/RunSummary' },
                description: 'every run of the message, oldest first',
              },
            },
          },
        ],
      },
      RetryAdvice: retryAdvice,
      RunSummary: runSummary,
      TimelineEntry: timelineEntry,
      DeadLetterSummary: deadLetterSummary,
      DeadLetter: {
        allOf: [
          { $ref: '#/components/schemas/DeadLetterSummary' },
          {
            type: 'object',
            required: ['event'],
            properties: { event: { description: 'the event as HubSpot sent it (parsed JSON)' } },
          },
        ],
      },
      ReplayResult: {
        type: 'object',
        required: ['id', 'replayed', 'outcome'],
        properties: { id: str('the letter, now removed'), replayed: { const: true }, outcome: replayOutcome },
      },
      RetryResult: {
        type: 'object',
        required: ['kind', 'workflowId', 'previousRunId', 'runId', 'fromStep', 'uiUrl'],
        properties: {
          kind: { type: 'string', enum: ['reset', 'resend'] },
          workflowId: str('unchanged: the same idempotency key'),
          previousRunId: str('the failed run'),
          runId: str('the new run'),
          fromStep: str('reset: the activity that runs again first; resend: the start'),
          resetToEventId: {
            type: 'integer',
            description: 'reset only: the WorkflowTaskCompleted event the run was reset to',
          },
          attempt: { type: 'integer', minimum: 1, description: 'resend only: 1 for the first retry of the reply' },
          uiUrl: { type: 'string', format: 'uri' },
        },
      },
    },
  },
} as const;
