import { itemStateSchema } from '@podium/contracts';
import { itemInputSchema, itemState } from './items.logic';

describe('item logic', () => {
  it('serves and publishes a stored item in the contract form', () => {
    const state = itemState({
      id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
      edition: 'OG2024',
      name: 'Main stadium',
      createdBy: 'admin',
      createdAt: new Date('2024-07-01T10:00:00.000Z'),
    });
    expect(state).toEqual({
      id: '5b0c3c52-2f3e-4c36-9d2a-0d4c4f3b2a11',
      edition: 'OG2024',
      name: 'Main stadium',
      createdBy: 'admin',
      createdAt: '2024-07-01T10:00:00.000Z',
    });
    expect(itemStateSchema.parse(state)).toEqual(state);
  });

  it('trims names and refuses empty ones and unknown fields', () => {
    expect(itemInputSchema.parse({ name: '  Hall A ' })).toEqual({ name: 'Hall A' });
    expect(itemInputSchema.safeParse({ name: '   ' }).success).toBe(false);
    expect(itemInputSchema.safeParse({ name: 'x', extra: 1 }).success).toBe(false);
  });
});
