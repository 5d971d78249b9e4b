import { runCli } from './run-cli.js';

// `channel-bridge`: the bridge's own commands. The local system's `start` and `demo` are the dev tools'
// (packages/dev-tools/src/cli/index.ts), so the production CLI carries none of the sandbox.
runCli();
