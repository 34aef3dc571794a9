/**
 * The deployable applications: every folder of apps/ with a project.json whose projectType is 'application'.
 * The chart, the image definitions and the NATS users must each cover all of them (checked by deploy-checks).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const WORKSPACE_ROOT = resolve(__dirname, '../../..');

export function listApps(root: string = WORKSPACE_ROOT): string[] {
  const appsDir = join(root, 'apps');
  if (!existsSync(appsDir)) return [];
  return readdirSync(appsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => {
      const projectFile = join(appsDir, name, 'project.json');
      if (!existsSync(projectFile)) return false;
      const project = JSON.parse(readFileSync(projectFile, 'utf8')) as { projectType?: unknown };
      return project.projectType === 'application';
    })
    .sort();
}
