import { runCli } from '../../../bridge/src/cli/run-cli.js';
import { localCommands } from './local-commands.js';

// The developer's CLI (`npm start` runs `start` here): the bridge's commands plus the local system's.
runCli(localCommands);
