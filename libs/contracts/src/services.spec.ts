import { SERVICES, serviceDefinition, serviceDefinitionSchema } from './services';

describe('the service list', () => {
  it('holds the seven Games services on ports 3001-3007, in port order, one port each', () => {
    expect(SERVICES.map((s) => s.port)).toEqual([...new Set(SERVICES.map((s) => s.port))].sort((a, b) => a - b));
    expect(SERVICES.map((s) => `${s.name}:${s.port}`)).toEqual(expect.arrayContaining([
      'schedules:3001',
      'entries:3002',
      'accreditation:3003',
      'workforce:3004',
      'volunteers:3005',
      'results-ingest:3006',
      'results-distribution:3007',
    ]));
  });

  it('finds a service by name and names the list when it does not exist', () => {
    expect(serviceDefinition('entries')).toMatchObject({ port: 3002, family: 'OMS' });
    expect(() => serviceDefinition('nope')).toThrow(/services\.json/);
  });

  it('refuses names that are not kebab-case and unknown fields', () => {
    expect(serviceDefinitionSchema.safeParse({ name: 'Bad_Name', port: 3010, family: 'OMS', purpose: 'x' }).success).toBe(false);
    expect(serviceDefinitionSchema.safeParse({ name: 'ok', port: 3010, family: 'OMS', purpose: 'x', extra: 1 }).success).toBe(false);
  });
});
