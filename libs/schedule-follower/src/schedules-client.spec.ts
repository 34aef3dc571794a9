import { scheduleUnitUpdated } from '@podium/contracts';
import { type FetchLike, SchedulesClient } from './schedules-client';

const answer =
  (status: number, body: unknown): FetchLike =>
  async () => ({ ok: status < 300, status, json: async () => body });

describe('SchedulesClient', () => {
  it('returns the validated response', async () => {
    const body = { edition: 'OG2024', sequence: 0, takenAt: '2024-07-01T09:00:00Z', sessions: [], units: [scheduleUnitUpdated.example] };
    await expect(new SchedulesClient('http://s', { fetch: answer(200, body) }).snapshot('OG2024')).resolves.toEqual(body);
  });

  it('fails on an error status, naming the URL', async () => {
    await expect(new SchedulesClient('http://s/', { fetch: answer(503, {}) }).editions()).rejects.toThrow(
      'GET http://s/v1/editions answered 503',
    );
  });

  it('fails on a response that does not match the contract, naming the field', async () => {
    const body = [{ rsc: 'ATHM100M', discipline: 'ATH', name: '100m', gender: 'M', medal: true, phases: [] }];
    await expect(new SchedulesClient('http://s', { fetch: answer(200, body) }).events('OG2024')).rejects.toThrow(
      /GET http:\/\/s\/v1\/editions\/OG2024\/events: unexpected response, 0\.rsc: /,
    );
  });
});
