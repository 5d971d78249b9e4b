import { Connection, isGrpcServiceError } from '@temporalio/client';
import proto from '@temporalio/proto';
import type { Config } from '../config.js';
import { ALL_SEARCH_ATTRIBUTE_KEYS } from '../domain/search-attributes.js';
import { protoMs } from '../inspect/proto-values.js';
import { fail, messageOf, pass, warn, type CheckResult } from './types.js';

/** `messages show` and `retry` read a message's history, which Temporal deletes this long after the run closed. */
export const MIN_RETENTION_DAYS = 7;
const CALL_TIMEOUT_MS = 10_000;
const GRPC = { NOT_FOUND: 5, PERMISSION_DENIED: 7, UNAUTHENTICATED: 16 } as const;
// CommonJS package: its namespace object is the default export under ESM.
const { IndexedValueType, TaskQueueType } = proto.temporal.api.enums.v1;

const refused = (error: unknown) =>
  isGrpcServiceError(error) && (error.code === GRPC.PERMISSION_DENIED || error.code === GRPC.UNAUTHENTICATED);
const ACCESS_FIX =
  'check TEMPORAL_API_KEY, or TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY: they must grant access to this namespace (docs/DEPLOY.md, "Temporal")';

/**
 * Temporal as the bridge uses it: the frontend answers, the namespace exists, its retention keeps histories long
 * enough, the seven search attributes are registered as Keyword, and a worker polls the task queue.
 */
export async function checkTemporal(config: Config): Promise<CheckResult[]> {
  const { address, namespace, taskQueue } = config.temporal;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: '5 seconds', ...config.temporal.connection });
  } catch (error) {
    return [
      fail(
        'temporal.connection',
        'Temporal',
        `cannot reach Temporal at ${address}: ${messageOf(error)}`,
        'check TEMPORAL_ADDRESS (the frontend, host:7233) and TLS (TEMPORAL_TLS, TEMPORAL_TLS_CERT/KEY, TEMPORAL_API_KEY)',
      ),
    ];
  }
  const call = <T>(fn: () => Promise<T>) => connection.withDeadline(Date.now() + CALL_TIMEOUT_MS, fn);
  try {
    const results = [pass('temporal.connection', 'Temporal', `the frontend at ${address} answers`)];
    let described;
    try {
      described = await call(() => connection.workflowService.describeNamespace({ namespace }));
    } catch (error) {
      if (isGrpcServiceError(error) && error.code === GRPC.NOT_FOUND) {
        return [
          ...results,
          fail(
            'temporal.namespace',
            'Temporal namespace',
            `namespace "${namespace}" does not exist on ${address}`,
            `set TEMPORAL_NAMESPACE to the bridge's namespace, or create it: temporal operator namespace create --address ${address} --namespace ${namespace} --retention ${MIN_RETENTION_DAYS}d`,
          ),
        ];
      }
      return [
        ...results,
        fail(
          'temporal.namespace',
          'Temporal namespace',
          `Temporal refused to describe namespace "${namespace}": ${messageOf(error)}`,
          refused(error) ? ACCESS_FIX : 'check that Temporal is healthy, then run doctor again',
        ),
      ];
    }
    results.push(pass('temporal.namespace', 'Temporal namespace', `namespace "${namespace}" exists`));
    results.push(
      retentionCheck(namespace, address, (protoMs(described.config?.workflowExecutionRetentionTtl) ?? 0) / 1000),
    );
    results.push(await searchAttributesCheck(connection, call, namespace, address));
    results.push(await pollersCheck(connection, call, namespace, taskQueue));
    return results;
  } finally {
    await connection.close();
  }
}

function retentionCheck(namespace: string, address: string, seconds: number): CheckResult {
  const days = seconds / 86_400;
  const shown =
    days >= 1 ? `${Number(days.toFixed(1))} day${days === 1 ? '' : 's'}` : `${Math.round(seconds / 3600)} hours`;
  if (seconds > 0 && days < MIN_RETENTION_DAYS) {
    return warn(
      'temporal.retention',
      'Temporal retention',
      `namespace "${namespace}" keeps closed workflows ${shown}: "messages show" and "messages retry" lose a message ${shown} after it finished or failed`,
      `raise it to ${MIN_RETENTION_DAYS} days or more: temporal operator namespace update --address ${address} --namespace ${namespace} --retention ${MIN_RETENTION_DAYS}d (Temporal Cloud: the namespace's settings)`,
    );
  }
  return pass(
    'temporal.retention',
    'Temporal retention',
    seconds > 0 ? `closed workflows are kept ${shown}` : 'closed workflows are kept without a limit',
  );
}

type Call = <T>(fn: () => Promise<T>) => Promise<T>;

async function searchAttributesCheck(
  connection: Connection,
  call: Call,
  namespace: string,
  address: string,
): Promise<CheckResult> {
  const title = 'Temporal search attributes';
  let registered: Record<string, number>;
  try {
    registered =
      (await call(() => connection.operatorService.listSearchAttributes({ namespace }))).customAttributes ?? {};
  } catch (error) {
    return fail(
      'temporal.search-attributes',
      title,
      `cannot list the search attributes of "${namespace}": ${messageOf(error)}`,
      refused(error)
        ? ACCESS_FIX
        : 'check them yourself: temporal operator search-attribute list --namespace ' + namespace,
    );
  }
  const names = ALL_SEARCH_ATTRIBUTE_KEYS.map((key) => key.name);
  const missing = names.filter((name) => registered[name] === undefined);
  const wrongType = names.filter(
    (name) => registered[name] !== undefined && registered[name] !== IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  );
  if (missing.length) {
    return fail(
      'temporal.search-attributes',
      title,
      `namespace "${namespace}" lacks ${missing.join(', ')}: the bridge cannot start workflows without them`,
      `register them: temporal operator search-attribute create --address ${address} --namespace ${namespace} ${missing.map((n) => `--name ${n}`).join(' ')} --type Keyword (Temporal Cloud: tcld namespace search-attributes add)`,
    );
  }
  if (wrongType.length) {
    const typeName = (n: string) =>
      IndexedValueType[registered[n]!]?.replace('INDEXED_VALUE_TYPE_', '') ?? String(registered[n]);
    return fail(
      'temporal.search-attributes',
      title,
      `${wrongType.map((n) => `${n} is ${typeName(n)}`).join(', ')}, not Keyword`,
      `a search attribute's type cannot change: use a namespace where they are Keyword (set TEMPORAL_NAMESPACE), or remove and create them again as Keyword`,
    );
  }
  return pass('temporal.search-attributes', title, `all ${names.length} are registered as Keyword`);
}

async function pollersCheck(
  connection: Connection,
  call: Call,
  namespace: string,
  taskQueue: string,
): Promise<CheckResult> {
  const title = 'Temporal worker';
  try {
    const { pollers } = await call(() =>
      connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue },
        taskQueueType: TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW,
      }),
    );
    if (!pollers?.length) {
      return warn(
        'temporal.worker',
        title,
        `no worker polls task queue "${taskQueue}" in "${namespace}": accepted messages wait until one does`,
        'start the worker (src/worker.ts) with the same TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE as the api',
      );
    }
    return pass(
      'temporal.worker',
      title,
      `${pollers.length} worker${pollers.length === 1 ? '' : 's'} poll${pollers.length === 1 ? 's' : ''} task queue "${taskQueue}"`,
    );
  } catch (error) {
    return warn(
      'temporal.worker',
      title,
      `cannot describe task queue "${taskQueue}": ${messageOf(error)}`,
      'check that a worker runs: its log says "worker polling"',
    );
  }
}
