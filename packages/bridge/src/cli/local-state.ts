/**
 * What the local system (`npm start`, in the dev tools) writes to `<dataDir>/local.json` and the bridge's own commands
 * read back (`channel` finds the sandbox HubSpot there): the contract between the two packages, so the bridge never
 * imports the dev tools. The dev tools' full state extends it with their demo accounts.
 */
export interface LocalState {
  readonly mode: 'sandbox' | 'live';
  readonly startedAt: string;
  readonly pid: number;
  readonly urls: {
    readonly api: string;
    readonly hubspotInbox?: string;
    readonly temporalUi: string;
    readonly temporal: string;
  };
  readonly hubspot: {
    readonly baseUrl: string;
    readonly portalId?: string;
    readonly accessToken?: string;
    readonly appId?: number;
    readonly developerApiKey?: string;
    readonly clientSecret?: string;
  };
  readonly channelId: string;
  readonly logs: Readonly<Record<string, string>>;
}
