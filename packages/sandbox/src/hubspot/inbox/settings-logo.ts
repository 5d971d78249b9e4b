import type { SandboxChannel } from '../state.js';
import { html, type SafeHtml } from './html.js';

// A logo the page may load: the channel's own address, or an inline image. Anything else (javascript:, file:) is
// left out and the default mark shows.
const LOADABLE = /^(https?:\/\/|data:image\/)/i;
const HUES = [14, 204, 168, 264, 36, 328];

/**
 * A channel's logo as HubSpot shows it in "Connect a channel": the `channelLogoUrl` it registered, drawn over a
 * default mark (a speech bubble with the channel's initial, in a colour of its own) that shows when the channel has
 * no logo or the logo does not load (settings.js hides a broken image).
 */
export function renderChannelLogo(
  channel: Pick<SandboxChannel, 'name' | 'channelLogoUrl'>,
  size: 'small' | 'large' = 'small',
): SafeHtml {
  const name = channel.name.trim();
  const initial = [...name][0]?.toUpperCase() ?? '?';
  const hue = HUES[[...name].reduce((sum, c) => sum + (c.codePointAt(0) ?? 0), 0) % HUES.length];
  const url = channel.channelLogoUrl && LOADABLE.test(channel.channelLogoUrl) ? channel.channelLogoUrl : undefined;
  return html`<span class="channel-logo ${size}${url ? '' : ' default'}" style="--logo-hue: ${hue}" aria-hidden="true"><svg viewBox="0 0 32 32" focusable="false"><path fill="#fff" d="M4 8a4 4 0 0 1 4-4h16a4 4 0 0 1 4 4v11a4 4 0 0 1-4 4h-8l-7 5.5V23a5 5 0 0 1-5-4z"/><text x="16" y="18.2" text-anchor="middle">${initial}</text></svg>${url ? html`<img src="${url}" alt="">` : ''}</span>`;
}
