/** One message of a run: its conversation, when it was due, and its place in the order the sink recorded. */
export interface OrderedItem {
  readonly thread: string;
  readonly due: number;
  readonly order: number;
}

/**
 * Messages published out of their conversation's order: each one recorded before a message of the same conversation
 * that was due earlier counts once. 0 means every conversation's messages were published in the order they were sent.
 */
export function outOfOrder(items: readonly OrderedItem[]): number {
  const byThread = new Map<string, OrderedItem[]>();
  for (const item of items) byThread.set(item.thread, [...(byThread.get(item.thread) ?? []), item]);
  let overtaken = 0;
  for (const list of byThread.values()) {
    const byDue = [...list].sort((a, b) => a.due - b.due);
    // Walking from the latest due back: any item recorded after a later-due one was overtaken by it.
    let lowestLaterOrder = Infinity;
    for (let i = byDue.length - 1; i >= 0; i--) {
      const item = byDue[i]!;
      if (item.order > lowestLaterOrder) overtaken += 1;
      lowestLaterOrder = Math.min(lowestLaterOrder, item.order);
    }
  }
  return overtaken;
}
