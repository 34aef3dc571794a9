/**
 * `_UPDATE` document types: partial messages merged item by item into their base document.
 */
export interface UpdateRule {
  /** The document type the update merges into. */
  readonly baseType: string;
  /** Keyed item elements (children of `Competition`) and the attribute identifying each item. */
  readonly items: Readonly<Record<string, string>>;
}

export const UPDATE_RULES: Readonly<Record<string, UpdateRule>> = {
  DT_SCHEDULE_UPDATE: { baseType: 'DT_SCHEDULE', items: { Unit: 'Code', Session: 'SessionCode' } },
  DT_PARTIC_UPDATE: { baseType: 'DT_PARTIC', items: { Participant: 'Code' } },
};

/** True for a document type that is a partial update (DT_SCHEDULE_UPDATE, DT_PARTIC_UPDATE). */
export function isUpdateType(documentType: string): boolean {
  return Object.prototype.hasOwnProperty.call(UPDATE_RULES, documentType);
}

/** The update rule of `documentType`, or undefined when it is not an `_UPDATE` type. */
export function updateRuleOf(documentType: string): UpdateRule | undefined {
  return isUpdateType(documentType) ? UPDATE_RULES[documentType] : undefined;
}
