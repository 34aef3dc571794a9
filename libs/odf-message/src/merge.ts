/**
 * Merging `_UPDATE` messages (DT_SCHEDULE_UPDATE, DT_PARTIC_UPDATE) into their base document.
 */
import { attr, type OdfElement } from './element';
import { documentKey } from './header';
import { buildMessage, type OdfMessage } from './message';
import { updateRuleOf, type UpdateRule } from './update-rules';

/** `ModificationIndicator` value that removes an item from the base document. */
export const DELETE_INDICATOR = 'D';

function ruleOf(update: OdfMessage): UpdateRule {
  const rule = updateRuleOf(update.header.documentType);
  if (rule === undefined) {
    throw new TypeError(`${update.header.documentType} is not an _UPDATE document type`);
  }
  return rule;
}

/** The key of the base document an `_UPDATE` message merges into (same identity, the base document type). */
export function baseKeyOf(update: OdfMessage): string {
  return documentKey({ ...update.header, documentType: ruleOf(update).baseType });
}

/**
 * Merges an `_UPDATE` message into its base document and returns the new base document (inputs untouched).
 *
 * - Keyed items (DT_SCHEDULE_UPDATE: `Unit` by `Code`, `Session` by `SessionCode`; DT_PARTIC_UPDATE: `Participant`
 *   by `Code`): an item replaces the base item with the same key as a whole, in place; a new key is appended; an
 *   item with `ModificationIndicator="D"` removes the base item. Base items absent from the update are kept.
 * - Other children of `Competition` present in the update (e.g. `ExtendedInfos`) replace the base's; attributes
 *   of `Competition` in the update overwrite the base's.
 * - Header: the base's (its Version is unchanged: only a full document carries a new base Version). Without a base
 *   (or with a withdrawn base) the update creates it: the update's header with the base type and Version 0, which
 *   marks a document synthesized from updates, so that any full document received later (Version ≥ 1) replaces it.
 * - An update without `Competition` returns the base unchanged (decide() classifies it as a withdrawal anyway).
 *
 * Throws a TypeError when `update` is not an `_UPDATE` type or `base` is not its base document.
 */
export function mergeUpdate(base: OdfMessage | null, update: OdfMessage): OdfMessage {
  const rule = ruleOf(update);
  const baseKey = baseKeyOf(update);
  if (base !== null && base.key !== baseKey) {
    throw new TypeError(`base document ${base.key} is not the base of ${update.key} (expected ${baseKey})`);
  }
  if (update.competition === null && base !== null) {
    return base;
  }
  const existing = base !== null && base.competition !== null ? base : null;
  const header =
    existing !== null ? existing.header : { ...update.header, documentType: rule.baseType, version: 0 };
  const merged: OdfElement = { ...(existing?.competition ?? {}) };

  for (const name of Object.keys(update.competition ?? {})) {
    const value = update.competition?.[name];
    if (value === undefined) continue;
    const keyAttr = Object.prototype.hasOwnProperty.call(rule.items, name) ? rule.items[name] : undefined;
    if (typeof value === 'string' || keyAttr === undefined) {
      merged[name] = value;
      continue;
    }
    const current = merged[name];
    const list: OdfElement[] = Array.isArray(current) ? current.slice() : [];
    const index = new Map<string, number>();
    list.forEach((item, i) => {
      const id = attr(item, keyAttr);
      if (id !== undefined) index.set(id, i);
    });
    const removed = new Set<number>();
    for (const item of value) {
      const id = attr(item, keyAttr) ?? '';
      const at = index.get(id);
      if (attr(item, 'ModificationIndicator') === DELETE_INDICATOR) {
        if (at !== undefined) {
          removed.add(at);
          index.delete(id);
        }
      } else if (at !== undefined) {
        list[at] = item;
      } else {
        index.set(id, list.length);
        list.push(item);
      }
    }
    const kept = removed.size === 0 ? list : list.filter((_, i) => !removed.has(i));
    if (kept.length > 0) {
      merged[name] = kept;
    } else {
      delete merged[name];
    }
  }
  return buildMessage(header, merged);
}
