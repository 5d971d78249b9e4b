import { errorResponse, guarded, providerKindsText, str } from './parts.js';

/** `/admin/portals` and `/admin/accounts` (src/api/routes/connect-admin.ts): ids and states, never a secret. */
export const accountPaths = {
  '/admin/portals': {
    get: {
      operationId: 'listPortals',
      summary: 'Installed HubSpot portals and whether their OAuth tokens work (never the tokens)',
      responses: {
        '200': {
          description: 'the portals',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['portals'],
                properties: { portals: { type: 'array', items: { $ref: '#/components/schemas/Portal' } } },
              },
            },
          },
        },
        ...guarded(),
      },
    },
  },
  '/admin/accounts': {
    get: {
      operationId: 'listAccounts',
      summary: 'Connected channel accounts: id, provider, portal, name, on or off (never credentials)',
      responses: {
        '200': {
          description: 'the accounts, by id',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['accounts'],
                properties: { accounts: { type: 'array', items: { $ref: '#/components/schemas/Account' } } },
              },
            },
          },
        },
        ...guarded(),
      },
    },
  },
  '/admin/accounts/{id}': {
    get: {
      operationId: 'showAccount',
      summary: 'One connected channel account (never its credentials)',
      parameters: [
        {
          name: 'id',
          in: 'path',
          required: true,
          description: "HubSpot's channel account id",
          schema: { type: 'string', minLength: 1 },
        },
      ],
      responses: {
        '200': {
          description: 'the account',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Account' } } },
        },
        '404': errorResponse('no account with this id is connected'),
        ...guarded(),
      },
    },
  },
} as const;

export const accountSchemas = {
  Portal: {
    type: 'object',
    required: ['portalId', 'status', 'expiresAt'],
    properties: {
      portalId: str('HubSpot portal (hub) id'),
      status: {
        type: 'string',
        enum: ['active', 'reinstall'],
        description: 'reinstall: HubSpot refused its refresh token; an admin of the portal installs the app again',
      },
      statusReason: str('why it needs a reinstall'),
      expiresAt: { type: 'string', description: 'when the stored access token expires (it is refreshed before)' },
    },
  },
  Account: {
    type: 'object',
    required: ['accountId', 'provider', 'portalId', 'channelId', 'name', 'authorized', 'deliveryIdentifier'],
    properties: {
      accountId: str("HubSpot's channel account id"),
      provider: str(providerKindsText()),
      portalId: str('the HubSpot portal it belongs to'),
      channelId: str('the custom channel'),
      name: str('its name in HubSpot'),
      authorized: {
        type: 'boolean',
        description: 'on (true) or off in HubSpot; an account that is off holds its messages',
      },
      deliveryIdentifier: {
        type: 'object',
        required: ['type', 'value'],
        properties: {
          type: str('HS_PHONE_NUMBER, CHANNEL_SPECIFIC_OPAQUE_ID…'),
          value: str('the bot, number or connector the account speaks as'),
        },
      },
      inboxId: str('the HubSpot inbox it delivers to'),
    },
  },
} as const;
