/**
 * schema.prisma vs migrations, end to end:
 * 1. desired: schema.prisma -> DMMF (Prisma's wasm, offline) -> the tables/indexes/keys Prisma would create;
 * 2. target: that schema created in a scratch database and introspected (PostgreSQL's canonical spelling);
 * 3. current: the existing migrations applied to another scratch database (the "shadow") and introspected;
 * 4. diff current -> target, rendered from desired in Prisma's style;
 * 5. for a new migration, the SQL is applied to the shadow and the result compared with the target again:
 *    SQL that does not reach schema.prisma exactly is refused, never written.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { applyMigrations } from '@podium/platform';
import { getDMMF } from '@prisma/internals';
import { desiredSchemaFromDatamodel } from './desired-schema';
import { diffSchemas, type SchemaDiff } from './diff';
import { type DbSchema, EMPTY_SCHEMA } from './model';
import { renderMigration } from './render';
import { introspectDatabase, runScript, withScratchDatabase } from './scratch';

export interface PlanOptions {
  schemaPath: string;
  migrationsDir: string;
  /** Server on which the scratch databases are created (any database name; it is replaced). */
  serverUrl: string;
  /** Short name used in the scratch databases' names. */
  label: string;
  /** Apply the generated SQL to the shadow and check it reaches schema.prisma (for `new`). */
  verify?: boolean;
}

export interface PlanResult {
  diff: SchemaDiff;
  /** The migration.sql to write; empty when there is nothing to do or when `diff.unsupported` is not empty. */
  sql: string;
  /** Objects of the migrated database that schema.prisma cannot express and that were left alone. */
  unmanaged: string[];
}

/** schema.prisma -> the PostgreSQL schema Prisma would create for it. */
export async function loadDesiredSchema(schemaPath: string): Promise<DbSchema> {
  const source = await readFile(schemaPath, 'utf8');
  let datamodel: unknown;
  try {
    datamodel = (await getDMMF({ datamodel: source })).datamodel;
  } catch (error) {
    throw new Error(`${schemaPath} is not a valid Prisma schema:\n${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return desiredSchemaFromDatamodel(datamodel, source);
}

/** The SQL creating the desired schema in an empty database (what an init migration contains). */
export function createSchemaSql(desired: DbSchema): string {
  const { steps } = diffSchemas(EMPTY_SCHEMA, desired, desired);
  return steps.length ? renderMigration(steps) : '';
}

export async function planMigration(options: PlanOptions): Promise<PlanResult> {
  const desired = await loadDesiredSchema(options.schemaPath);
  const createSql = createSchemaSql(desired);
  return withScratchDatabase(options.serverUrl, `${options.label}_target`, async (targetUrl) => {
    if (createSql) await runScript(targetUrl, createSql, `The SQL for ${options.schemaPath} (PostgreSQL refuses what the schema asks for, or tools/db renders it wrong)`);
    const target = await introspectDatabase(targetUrl);
    return withScratchDatabase(options.serverUrl, `${options.label}_shadow`, async (shadowUrl) => {
      if (existsSync(options.migrationsDir)) {
        try {
          await applyMigrations({ databaseUrl: shadowUrl, migrationsDir: options.migrationsDir });
        } catch (error) {
          throw new Error(`The migrations in ${options.migrationsDir} do not apply to an empty database:\n${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
        }
      }
      const current = await introspectDatabase(shadowUrl);
      const diff = diffSchemas(current, target, desired);
      const result: PlanResult = { diff, sql: '', unmanaged: current.unmanaged };
      if (diff.steps.length === 0 || diff.unsupported.length > 0) return result;
      result.sql = renderMigration(diff.steps, diff.warnings);
      if (options.verify) {
        await runScript(shadowUrl, result.sql, 'The generated migration').catch((error: unknown) => {
          if (error instanceof Error && error.message.includes('unsafe use of new value')) {
            throw new Error(
              `${error.message}\nA new enum value cannot be used in the migration (transaction) that adds it: change the schema in two ` +
                'steps (first add the value and create a migration, then use it and create another).',
              { cause: error },
            );
          }
          throw error;
        });
        const rest = diffSchemas(await introspectDatabase(shadowUrl), target, desired);
        if (rest.differences.length > 0) {
          throw new Error(
            `The generated migration would not bring the database to schema.prisma; still different after applying it:\n${rest.differences
              .map((d) => `  ${d}`)
              .join('\n')}\nNothing was written. Write this migration by hand (--empty) and report the case.`,
          );
        }
      }
      return result;
    });
  });
}
