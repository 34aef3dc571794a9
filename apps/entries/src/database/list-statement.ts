import type { QueryConfig } from 'pg';

/** A column and the value it must equal; an undefined value is a filter not given (no condition). */
export type ListFilter = readonly [column: string, value: string | undefined];

export interface ListStatement {
  /** Statement name prefix, e.g. 'entries-list'. */
  name: string;
  /** `SELECT ... FROM ...`, without WHERE. */
  select: string;
  /** Equality conditions, in a fixed order (the first is usually the edition, always given). */
  where: readonly ListFilter[];
  orderBy: string;
  page?: { offset: number; limit: number };
}

/**
 * The named (prepared) statement of a list read: one condition per filter given, so each combination of filters is
 * its own statement, prepared once per connection with a plan for exactly its conditions (not a generic
 * `($2 IS NULL OR col = $2)` that no index serves). Its name says which filters it has, e.g. `entries-list:1011:p`.
 */
export function listStatement(list: ListStatement): QueryConfig {
  const values: unknown[] = [];
  const conditions: string[] = [];
  let given = '';
  for (const [column, value] of list.where) {
    given += value === undefined ? '0' : '1';
    if (value === undefined) continue;
    values.push(value);
    conditions.push(`${column} = $${values.length}`);
  }
  let text = `${list.select}${conditions.length > 0 ? ` WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${list.orderBy}`;
  if (list.page) {
    values.push(list.page.offset, list.page.limit);
    text += ` OFFSET $${values.length - 1} LIMIT $${values.length}`;
  }
  return { name: `${list.name}:${given}${list.page ? ':p' : ''}`, text, values };
}
