import { itemStateSchema, type ItemState } from '@podium/contracts';
import { z } from 'zod';

/** Body of POST /v1/editions/{edition}/items. */
export const itemInputSchema = z.strictObject({
  name: z.string().trim().min(1).max(200).meta({ description: 'Name, unique in the edition', examples: ['Main stadium'] }),
});
export type ItemInput = z.infer<typeof itemInputSchema>;

export { itemStateSchema };

/** The published and served form of a stored item. */
export function itemState(row: { id: string; edition: string; name: string; createdBy: string; createdAt: Date }): ItemState {
  return { id: row.id, edition: row.edition, name: row.name, createdBy: row.createdBy, createdAt: row.createdAt.toISOString() };
}
