import { DELIVERY_IDENTIFIER_TYPES } from './shared.js';

export interface CapabilityProblem {
  readonly key: string;
  readonly message: string;
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
const BOOLEANS = ['allowInlineImages', 'allowOutgoingMessages', 'allowConversationStart', 'allowMultipleRecipients'];
const COUNTS = ['maxFileAttachmentCount', 'maxFileAttachmentSizeBytes', 'maxTotalFileAttachmentSizeBytes'];
const STRING_LISTS = ['richText', 'outgoingAttachmentTypes', 'allowedFileAttachmentMimeTypes'];

/**
 * Checks the capabilities HubSpot documents
 * (https://developers.hubspot.com/docs/api-reference/legacy/conversations/custom-channels/guide). Unknown keys pass
 * (the spec types the map as free-form;
 * inferred). The known trap: `deliveryIdentifierTypes` must be plain strings, not `{type, value}` objects.
 */
export function capabilityProblems(capabilities: Record<string, unknown>): CapabilityProblem[] {
  const problems: CapabilityProblem[] = [];
  const ids = capabilities.deliveryIdentifierTypes;
  if (
    ids !== undefined &&
    (!isStringArray(ids) || ids.some((v) => !(DELIVERY_IDENTIFIER_TYPES as readonly string[]).includes(v)))
  ) {
    problems.push({
      key: 'deliveryIdentifierTypes',
      message: `deliveryIdentifierTypes must be an array of ${DELIVERY_IDENTIFIER_TYPES.join(' | ')}`,
    });
  }
  const threading = capabilities.threadingModel;
  if (threading !== undefined && threading !== 'INTEGRATION_THREAD_ID' && threading !== 'DELIVERY_IDENTIFIER') {
    problems.push({
      key: 'threadingModel',
      message: 'threadingModel must be INTEGRATION_THREAD_ID or DELIVERY_IDENTIFIER',
    });
  }
  for (const key of BOOLEANS) {
    if (capabilities[key] !== undefined && typeof capabilities[key] !== 'boolean')
      problems.push({ key, message: `${key} must be a boolean` });
  }
  for (const key of COUNTS) {
    const v = capabilities[key];
    if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 0))
      problems.push({ key, message: `${key} must be a non-negative integer` });
  }
  for (const key of STRING_LISTS) {
    if (capabilities[key] !== undefined && !isStringArray(capabilities[key]))
      problems.push({ key, message: `${key} must be an array of strings` });
  }
  return problems;
}
