import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SERVICES } from '@podium/contracts';

export const root = resolve(__dirname, '../..');

/** docs/openapi: one OpenAPI document per service, `<service>.json`. */
export const openApiDir = join(root, 'docs', 'openapi');

/** docs/asyncapi.yaml: the subject catalog (tools/asyncapi). */
export const asyncApiFile = join(root, 'docs', 'asyncapi.yaml');

/** The services that exist (a folder in apps/), in the service list's order; a listed one without a folder is planned. */
export function builtServices(): string[] {
  return SERVICES.map((s) => s.name).filter((name) => existsSync(join(root, 'apps', name, 'src', 'main.ts')));
}

export const openApiFileOf = (service: string): string => join(openApiDir, `${service}.json`);
