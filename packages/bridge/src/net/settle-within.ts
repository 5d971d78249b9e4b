/**
 * `promise`, or a rejection with `late()` once `ms` have passed without it settling: for calls whose own timeout does
 * not bound the wait. The call itself goes on; its outcome after that is ignored.
 */
export function settleWithin<T>(promise: Promise<T>, ms: number, late: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
