import { z } from 'zod';

/** `GET /api/config`: the only part of the configuration the browser may see. */
export const publicConfigSchema = z.object({
  socialLogin: z.boolean(),
  buttonLabel: z.string(),
  imageUrl: z.string().optional(),
  autoRedirect: z.boolean(),
  peopleSearch: z.boolean(),
  sharepointPicker: z.object({ enabled: z.boolean(), baseUrl: z.string().optional() }),
});
export type PublicConfig = z.infer<typeof publicConfigSchema>;
