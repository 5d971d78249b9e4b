/**
 * When each provider sandbox received a message the bridge delivered, found by a marker in its text: the generic
 * connector's callback log, the Telegram Bot API call log (sendMessage), and the WhatsApp Cloud ledger.
 */
export class ProviderDeliveries {
  readonly deliveredAt = new Map<string, number>();

  constructor(
    private readonly urls: { readonly generic: string; readonly telegram: string; readonly whatsapp: string },
    private readonly markers: () => Iterable<string>,
  ) {}

  async poll(): Promise<void> {
    const [generic, telegram, whatsapp] = await Promise.all([
      get<{ events: { at: string; answered: number; event?: { data?: { text?: string } } }[] }>(
        `${this.urls.generic}/_sandbox/generic/received`,
      ),
      get<{ at: string; status: number; params: { text?: string } }[]>(
        `${this.urls.telegram}/_sandbox/telegram/calls?method=sendMessage`,
      ),
      get<{ sent: { at: string; request: { text?: { body?: string } } }[] }>(
        `${this.urls.whatsapp}/_sandbox/whatsapp/ledger`,
      ),
    ]);
    const seen: { text: string; at: number }[] = [
      ...generic.events
        .filter((e) => e.answered < 300)
        .map((e) => ({ text: e.event?.data?.text ?? '', at: Date.parse(e.at) })),
      ...telegram.filter((c) => c.status === 200).map((c) => ({ text: c.params.text ?? '', at: Date.parse(c.at) })),
      ...whatsapp.sent.map((m) => ({ text: m.request.text?.body ?? '', at: Date.parse(m.at) })),
    ];
    const wanted = [...this.markers()].filter((m) => !this.deliveredAt.has(m));
    for (const marker of wanted) {
      const hit = seen.find((s) => s.text.includes(marker));
      if (hit) this.deliveredAt.set(marker, hit.at);
    }
  }
}

async function get<T>(url: string): Promise<T> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return (await res.json()) as T;
}
