import { SERVICES } from '@podium/contracts';
import { serviceBootOptions } from './service-main';

describe('serviceBootOptions', () => {
  it.each(SERVICES.map((s) => [s.name, s.port] as const))('boots %s on its listed port %i', (name, port) => {
    expect(serviceBootOptions({ name, openApi: false, migrationsDir: '/m' })).toEqual({ name, openApi: false, defaultPort: port });
  });

  it('refuses a service that is not in the list, naming the list', () => {
    expect(() => serviceBootOptions({ name: 'not-a-service', openApi: false })).toThrow(
      /no service "not-a-service" in libs\/contracts\/src\/services\.json/,
    );
  });
});
