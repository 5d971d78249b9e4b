/** Shorter values (a flag, a port) are not secrets worth hiding, and would blank out ordinary words. */
const MIN_SECRET_LENGTH = 8;

/**
 * The last guard before a console page leaves: any stored secret that reached the HTML (a provider's error quoting a
 * URL with a bot token, say) is replaced. Pages never render credentials; this catches what a provider echoes.
 */
export function redactSecrets(page: string, secrets: readonly string[]): string {
  let out = page;
  for (const secret of [...new Set(secrets)]
    .filter((s) => s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length)) {
    out = out.split(secret).join('[secret hidden]');
    // The same secret as HTML escaping would print it.
    const escaped = secret.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
    if (escaped !== secret) out = out.split(escaped).join('[secret hidden]');
  }
  return out;
}
