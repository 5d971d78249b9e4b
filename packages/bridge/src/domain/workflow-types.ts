/**
 * The workflow types of messages, by name, for starts and visibility queries. A workflow type whose shape changes
 * gets a new name (the old one stays registered for runs still open), so queries list every type of a direction.
 */
export const INBOUND_WORKFLOW_TYPE = 'inboundMessageWorkflowV4';
/** Started before version 4 (and 3, 2); still registered for runs open at the upgrade. */
export const INBOUND_WORKFLOW_TYPES = [
  INBOUND_WORKFLOW_TYPE,
  'inboundMessageWorkflowV3',
  'inboundMessageWorkflowV2',
  'inboundMessageWorkflow',
] as const;
export const OUTBOUND_WORKFLOW_TYPE = 'outboundMessageWorkflowV3';
/** Started before version 3 (and 2); still registered for runs open at the upgrade. */
export const OUTBOUND_WORKFLOW_TYPES = [
  OUTBOUND_WORKFLOW_TYPE,
  'outboundMessageWorkflowV2',
  'outboundMessageWorkflow',
] as const;

/**
 * The workflow types an api starts messages as: INBOUND_WORKFLOW_TYPE and OUTBOUND_WORKFLOW_TYPE, unless an upgrade
 * test plays an earlier version's api.
 */
export interface MessageWorkflowTypes {
  readonly inbound: string;
  readonly outbound: string;
}

/**
 * BRIDGE_START_WORKFLOW_TYPES: `inbound,outbound`, each a registered type of its direction (an upgrade keeps starting
 * the previous types until every worker has the new ones); undefined when the text is not that.
 */
export function parseStartWorkflowTypes(text: string): MessageWorkflowTypes | undefined {
  const [inbound, outbound, ...rest] = text.split(',').map((type) => type.trim());
  const known = (types: readonly string[], type: string | undefined) => type !== undefined && types.includes(type);
  return rest.length === 0 && known(INBOUND_WORKFLOW_TYPES, inbound) && known(OUTBOUND_WORKFLOW_TYPES, outbound)
    ? { inbound: inbound!, outbound: outbound! }
    : undefined;
}

/** The visibility query clause for every message workflow, inbound and outbound. */
export const MESSAGE_WORKFLOWS_QUERY = `(${[...INBOUND_WORKFLOW_TYPES, ...OUTBOUND_WORKFLOW_TYPES]
  .map((type) => `WorkflowType = "${type}"`)
  .join(' OR ')})`;

/** Whether a workflow type carries rep replies to customers. */
export const isOutboundWorkflowType = (type: string | undefined) =>
  (OUTBOUND_WORKFLOW_TYPES as readonly (string | undefined)[]).includes(type);
