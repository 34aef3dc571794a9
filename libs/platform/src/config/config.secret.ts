import type { z } from 'zod';

/** Schemas marked with {@link secret}. A WeakSet, so marking never leaks or changes the schema itself. */
const secretSchemas = new WeakSet<z.core.$ZodType>();

/**
 * Marks a config variable as a secret: its value is never printed, neither by {@link redactConfig}
 * nor in a {@link ConfigValidationError} message. Wrap the innermost schema or the whole one:
 * `secret(z.string()).optional()` and `secret(z.string().optional())` are both recognised.
 */
export function secret<T extends z.core.$ZodType>(schema: T): T {
  secretSchemas.add(schema);
  return schema;
}

interface WrapperDef {
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
}

/** True when the schema, or a schema it wraps (optional, default, nullable, pipe...), was marked with {@link secret}. */
export function isSecretSchema(schema: z.core.$ZodType): boolean {
  let current: z.core.$ZodType | undefined = schema;
  for (let depth = 0; current !== undefined && depth < 16; depth++) {
    if (secretSchemas.has(current)) return true;
    const def: WrapperDef = current._zod.def as WrapperDef;
    current = def.innerType ?? def.in;
  }
  return false;
}
