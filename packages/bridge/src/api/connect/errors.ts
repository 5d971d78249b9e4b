import { HubSpotApiError } from '../../hubspot/errors.js';
import { PortalNeedsReinstallError, PortalNotInstalledError } from '../../hubspot/tokens.js';
import { ProviderError } from '../../providers/types.js';

/**
 * Thrown when a connection cannot be made; `message` tells the admin what to do, `status` is the page's HTTP status.
 * Nothing is left half-connected when it is thrown (the caller has undone what it set up).
 */
export class ConnectError extends Error {
  constructor(
    readonly status: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ConnectError';
  }
}

/** HubSpot's answer to the staging-token update (or the token lookup), in words an admin can act on. */
export function hubspotConnectError(error: unknown, portalId: string): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof PortalNotInstalledError || error instanceof PortalNeedsReinstallError) {
    return new ConnectError(403, `${error.message}. Then start again from HubSpot's inbox settings.`, { cause: error });
  }
  if (error instanceof HubSpotApiError) {
    if (error.status === 409) {
      return new ConnectError(
        409,
        'This connection is already connected: HubSpot has already used this link to create a channel account. Check the connected channels in your inbox settings; to connect another account, click Connect again there.',
        { cause: error },
      );
    }
    if (error.status === 404) {
      return new ConnectError(
        410,
        "This connection link has expired or HubSpot no longer knows it. Close this window and click Connect again in HubSpot's inbox settings.",
        { cause: error },
      );
    }
    if (error.status === 401 || error.status === 403) {
      return new ConnectError(
        403,
        `HubSpot refused the bridge's access to portal ${portalId} (${error.body?.message ?? error.status}). Reinstall channel-bridge in this portal (open /oauth/install), then connect again.`,
        { cause: error },
      );
    }
    return new ConnectError(
      502,
      `HubSpot could not save the connection (${error.message}). Nothing was connected; try again in a minute.`,
      { cause: error },
    );
  }
  return new ConnectError(
    502,
    `HubSpot could not be reached (${(error as Error).message}). Nothing was connected; try again in a minute.`,
    { cause: error },
  );
}

/** A provider's refusal of the credentials or of the webhook, in words an admin can act on. */
export function providerConnectError(what: string, error: unknown, hint: string): ConnectError {
  if (error instanceof ProviderError) {
    return error.retryable
      ? new ConnectError(
          502,
          `${what} could not be checked right now (${error.reason}). Nothing was connected; try again in a minute.`,
          { cause: error },
        )
      : new ConnectError(400, `${what} was refused: ${error.reason}. ${hint}`, { cause: error });
  }
  return new ConnectError(
    502,
    `${what} could not be checked (${(error as Error).message}). Nothing was connected; try again.`,
    { cause: error },
  );
}
