import { z } from 'zod';

/**
 * The bodies of the personal-data endpoints every service holding sealed personal data has (accreditation, volunteers):
 * the GDPR erasure of a person (`POST .../erasure`) and the key rotation's re-wrap (`POST /v1/personal-data/rewrap`,
 * `rewrapPersonalColumns`).
 */
export const erasureRequestSchema = z.strictObject({
  reason: z.string().trim().min(1).max(500).meta({ description: 'Why (e.g. the request reference); kept in the history: no personal data in it', examples: ['GDPR Art. 17 request DP-2024-0042'] }),
});

/** `limit`: data keys re-wrapped in this round (1-10,000, default 1,000). */
export const rewrapRequestSchema = z.strictObject({ limit: z.number().int().min(1).max(10_000).default(1000) });
