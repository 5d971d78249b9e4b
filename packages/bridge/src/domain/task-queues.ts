/** The task queue the bridge's worker polls; one queue keeps the local setup simple. */
export const BRIDGE_TASK_QUEUE = 'channel-bridge';
