/**
 * What a rep and an admin do in HubSpot's UI, as plain functions on the sandbox state. The control API
 * (`/_sandbox/*`, control.ts) and the inbox page call these; each throws HubSpotSandboxError with HubSpot's
 * status and body when HubSpot's UI would refuse.
 */
export { assignThread, getThread, replyAsRep, setThreadStatus, uploadRepFile, type RepReply } from './actions/rep.js';
export {
  createInbox,
  editAccount,
  finishConnect,
  getAccount,
  getPortal,
  removeAccount,
  startConnect,
  type AccountEdit,
  type ConnectStart,
} from './actions/admin.js';
export { addFault, clearFaults, type FaultSpec } from './faults.js';
