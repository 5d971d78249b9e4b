/**
 * Records every unhandled rejection and uncaught exception in this test process, so a fuzz file can assert that
 * none fired: a rejected promise nobody awaits would crash a production api (Node's default is to exit).
 */
export function guardProcess(): { readonly fired: readonly string[] } {
  const fired: string[] = [];
  const describe = (kind: string) => (error: unknown) =>
    fired.push(`${kind}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.on('unhandledRejection', describe('unhandledRejection'));
  process.on('uncaughtException', describe('uncaughtException'));
  return { fired };
}
