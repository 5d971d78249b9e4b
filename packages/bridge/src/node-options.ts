/**
 * Node flags every bridge process runs with (the Dockerfile's NODE_OPTIONS, `npm start` and the bench): a young
 * generation of 4 MB per semi-space instead of V8's 16 MB. Each isolate (the main thread, and the worker's workflow
 * thread) keeps three semi-spaces resident, so this takes about 45 MB off the worker's RSS at steady load and 20 MB
 * off the api's, for no measurable CPU (docs/BENCHMARKS.md, scenario 6): the bridge's allocations per message are
 * small and short-lived, so a smaller nursery is scavenged more often at the same cost per object.
 */
export const BRIDGE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * Environment every bridge process runs with, beside its flags: glibc's malloc keeps up to 8 arenas per core for the
 * threads that allocate natively (the Temporal core's Rust threads, libuv's pool, SQLite), and memory freed in one
 * arena is not reused by another. Two arenas took 8-14 MB off the worker's RSS at 20 messages/s, for no measurable CPU
 * (15.9 against 16.0 ms per message); a common setting for Node in containers.
 */
export const BRIDGE_PROCESS_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
