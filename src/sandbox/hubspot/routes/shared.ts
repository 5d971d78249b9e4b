import { z } from 'zod';

export const deliveryIdentifierSchema = z.object({
  type: z.enum(['HS_EMAIL_ADDRESS', 'HS_PHONE_NUMBER', 'HS_SHORT_CODE', 'CHANNEL_SPECIFIC_OPAQUE_ID']),
  value: z.string().min(1),
});

export const participantSchema = z.object({
  deliveryIdentifier: deliveryIdentifierSchema,
  name: z.string().optional(),
  senderActorId: z.string().optional(),
});
