import { z } from 'zod';
import list from './services.json';

/**
 * The one list of Podium services (services.json beside this file): name, port, family and a one-line purpose.
 * Everything that names a service reads it or is checked against it: a service's default PORT and SERVICE_NAME
 * (runService), `npm start`, the bake file, the chart values, the NATS users, the ESLint scopes and the README table
 * (tools/deploy/src/service-list.spec.ts says where a service is missing). A listed service without a folder in
 * apps/ is planned: its port is reserved. Add one with `npm run new:service -- <name>`.
 */
export const serviceDefinitionSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, 'a service name is lowercase kebab-case'),
  port: z.number().int().min(1024).max(65535),
  family: z.enum(['OMS', 'ODS']),
  purpose: z.string().min(1),
});

export type ServiceDefinition = z.infer<typeof serviceDefinitionSchema>;

const serviceListSchema = z
  .strictObject({ $comment: z.string(), services: z.array(serviceDefinitionSchema).min(1) })
  .superRefine((value, ctx) => {
    const seen = new Map<string | number, string>();
    for (const [i, s] of value.services.entries()) {
      for (const key of [s.name, s.port]) {
        const other = seen.get(key);
        if (other !== undefined) {
          ctx.addIssue({ code: 'custom', path: ['services', i], message: `${s.name}: ${key} is also used by ${other}` });
        }
        seen.set(key, s.name);
      }
    }
  });

/** Every service, in port order, validated when this module loads (a bad list fails every build and test). */
export const SERVICES: readonly ServiceDefinition[] = Object.freeze(
  serviceListSchema.parse(list).services.slice().sort((a, b) => a.port - b.port),
);

/** The service called `name`; throws, naming the list, when there is none. */
export function serviceDefinition(name: string): ServiceDefinition {
  const found = SERVICES.find((s) => s.name === name);
  if (!found) {
    throw new Error(
      `no service "${name}" in libs/contracts/src/services.json (known: ${SERVICES.map((s) => s.name).join(', ')})`,
    );
  }
  return found;
}
