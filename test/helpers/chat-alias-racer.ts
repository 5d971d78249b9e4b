/**
 * One process of the SQLite chat-alias race (test/store/chat-aliases.test.ts): opens the store file, waits for the
 * agreed start time, resolves each customer's ids in the order given, and prints the chat ids it got as JSON.
 * argv: store file, base64 key, account id, start time (ms), and a JSON file holding the id lists.
 */
import fs from 'node:fs';
import { openSqliteStore } from '../../packages/bridge/src/store/sqlite.js';

const [file, key, accountId, startAt, listsFile] = process.argv.slice(2) as [string, string, string, string, string];
const store = openSqliteStore({ path: file, encryptionKey: Buffer.from(key, 'base64') });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const results: string[] = [];
for (const ids of JSON.parse(fs.readFileSync(listsFile, 'utf8')) as string[][])
  results.push(await store.resolveChatId(accountId, ids, Date.now()));
await store.close();
process.stdout.write(JSON.stringify(results));
