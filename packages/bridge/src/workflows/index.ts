// The worker's workflowsPath: every workflow type, exported by name.
export {
  inboundMessageWorkflow,
  inboundMessageWorkflowV2,
  inboundMessageWorkflowV3,
  inboundMessageWorkflowV4,
} from './inbound-message.js';
export { outboundMessageWorkflow, outboundMessageWorkflowV2, outboundMessageWorkflowV3 } from './outbound-message.js';
export { accountLifecycleWorkflow } from './account-lifecycle.js';
