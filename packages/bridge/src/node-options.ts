/**
 * Node flags every bridge process runs with (the Dockerfile's NODE_OPTIONS, `npm start` and the bench): a young
 * generation of 4 MB per semi-space instead of V8's 16 MB. Each isolate (the main thread, and the worker's workflow
 * thread) keeps three semi-spaces resident, so this takes about 45 MB off the worker's RSS at steady load and 20 MB
 * off the api's, for no measurable CPU (docs/BENCHMARKS.md, scenario 6): the bridge's allocations per message are
 * small and short-lived, so a smaller nursery is scavenged more often at the same cost per object.
 */
export const BRIDGE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
