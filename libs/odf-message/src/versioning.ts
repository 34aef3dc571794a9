/**
 * ODF version rules: what to do with an incoming message given the stored state of its document.
 */
import { createHash } from 'node:crypto';

import type { ResultStatus } from '@podium/odf';

import { canonicalElementJson } from './element';
import { baseKeyOf } from './merge';
import type { OdfMessage } from './message';
import { isUpdateType } from './update-rules';

/** What a store keeps per document (per key) to decide on the next message. */
export interface StoredDocState {
  /** The document key ({@link OdfMessage.key}). */
  readonly key: string;
  /** Highest Version accepted so far. */
  readonly version: number;
  /** ResultStatus of that version (null when it had none). */
  readonly resultStatus: ResultStatus | null;
  /** True when that version was a withdrawal (no Competition). */
  readonly withdrawn: boolean;
  /** {@link fingerprint} of that version, to tell a resend from a conflicting message with the same Version. */
  readonly fingerprint: string | null;
  /** Highest Version ever accepted with ResultStatus OFFICIAL, null if never: later versions are corrections. */
  readonly officialVersion: number | null;
}

/**
 * - apply: first version, or a higher one: replaces the whole document; publish.
 * - merge: an `_UPDATE` message that is new (first or higher Version): merge it into the base document
 *   ({@link mergeUpdate} on `baseKey`); publish.
 * - withdraw: a message without Competition that is new: the document is withdrawn; publish the withdrawal.
 * - duplicate: same Version, same content: acknowledge; do not record again, do not publish.
 * - conflict-duplicate: same Version, different content: acknowledge, record it for audit, do not publish
 *   (the first accepted content stands; the sender must raise the Version to change it).
 * - stale: lower Version: acknowledge, record for audit, do not publish (it arrived late or out of order).
 */
export type DecisionKind = 'apply' | 'merge' | 'withdraw' | 'duplicate' | 'conflict-duplicate' | 'stale';

export interface Decision {
  readonly kind: DecisionKind;
  /** Publish to partners (apply, merge, withdraw). */
  readonly publish: boolean;
  /** Keep this message in the version history (everything except an exact duplicate). */
  readonly record: boolean;
  /** A new version after an OFFICIAL one (a correction): forward it flagged, notes included in its content. */
  readonly correction: boolean;
  /** The stored Version before this message (null for the first one). */
  readonly previousVersion: number | null;
  /** For `merge`: the key of the base document to merge into. */
  readonly baseKey: string | null;
  /** Human-readable explanation, for logs and the ingest response. */
  readonly reason: string;
  /** Things worth flagging that do not stop the message (never a reason to reject a real feed). */
  readonly warnings: readonly string[];
}

/**
 * Applies the ODF version rules to `incoming` given the stored state of its document (null when unseen).
 * Pure. Throws a TypeError when `current` belongs to another document (a caller bug).
 */
export function decide(current: StoredDocState | null, incoming: OdfMessage): Decision {
  if (current !== null && current.key !== incoming.key) {
    throw new TypeError(`state of ${current.key} given for a message of ${incoming.key}`);
  }
  const version = incoming.header.version;
  const previousVersion = current?.version ?? null;
  const base = { previousVersion, baseKey: null, warnings: [] as string[] };

  if (current !== null && version < current.version) {
    return {
      ...base,
      kind: 'stale',
      publish: false,
      record: true,
      correction: false,
      reason: `Version ${version} is lower than the stored Version ${current.version}`,
    };
  }
  if (current !== null && version === current.version) {
    const same = current.fingerprint === null || current.fingerprint === fingerprint(incoming);
    return same
      ? {
          ...base,
          kind: 'duplicate',
          publish: false,
          record: false,
          correction: false,
          reason: `Version ${version} was already accepted`,
        }
      : {
          ...base,
          kind: 'conflict-duplicate',
          publish: false,
          record: true,
          correction: false,
          reason: `Version ${version} was already accepted with different content; raise the Version to change it`,
        };
  }

  const warnings: string[] = [];
  const official = current?.officialVersion ?? null;
  const correction = official !== null;
  if (correction) {
    if (incoming.withdrawal) {
      warnings.push(`withdraws a document that was OFFICIAL in Version ${official}`);
    } else if (incoming.header.resultStatus !== 'OFFICIAL') {
      warnings.push(
        `ResultStatus ${incoming.header.resultStatus ?? '(none)'} after OFFICIAL Version ${official}`,
      );
    }
  }
  if (current !== null && version > current.version + 1) {
    warnings.push(
      `Versions ${current.version + 1} to ${version - 1} were not received (or arrive later: stale)`,
    );
  }

  if (incoming.withdrawal) {
    return {
      ...base,
      warnings,
      kind: 'withdraw',
      publish: true,
      record: true,
      correction,
      reason:
        current === null
          ? `Version ${version} withdraws a document not seen before`
          : `Version ${version} withdraws the document (stored Version ${current.version})`,
    };
  }
  const what = current === null ? 'first Version' : `replaces Version ${current.version}`;
  if (isUpdateType(incoming.header.documentType)) {
    return {
      ...base,
      warnings,
      kind: 'merge',
      publish: true,
      record: true,
      correction,
      baseKey: baseKeyOf(incoming),
      reason: `Version ${version} (${what}) merges into ${baseKeyOf(incoming)}`,
    };
  }
  return {
    ...base,
    warnings,
    kind: 'apply',
    publish: true,
    record: true,
    correction,
    reason: `Version ${version}: ${what}${correction ? ` (correction after OFFICIAL Version ${official})` : ''}`,
  };
}

/** The stored state after `decision` on `incoming` (unchanged for duplicate, conflict-duplicate and stale). */
export function nextState(
  current: StoredDocState | null,
  incoming: OdfMessage,
  decision: Decision,
): StoredDocState | null {
  if (!decision.publish) {
    return current;
  }
  const status = incoming.header.resultStatus ?? null;
  return {
    key: incoming.key,
    version: incoming.header.version,
    resultStatus: status,
    withdrawn: incoming.withdrawal,
    fingerprint: fingerprint(incoming),
    officialVersion:
      status === 'OFFICIAL' && !incoming.withdrawal
        ? incoming.header.version
        : (current?.officialVersion ?? null),
  };
}

/** The state of a document whose latest accepted message is `message` (e.g. rebuilt from the version history). */
export function stateOf(message: OdfMessage, officialVersion: number | null = null): StoredDocState {
  const status = message.header.resultStatus ?? null;
  return {
    key: message.key,
    version: message.header.version,
    resultStatus: status,
    withdrawn: message.withdrawal,
    fingerprint: fingerprint(message),
    officialVersion: status === 'OFFICIAL' && !message.withdrawal ? message.header.version : officialVersion,
  };
}

/**
 * SHA-256 (hex) of the message content: ResultStatus and the Competition tree in canonical JSON (keys sorted).
 * Date, Time, TimeStamp, LogicalDate and Source are left out: a resend with a new transmission time is a duplicate.
 */
export function fingerprint(message: OdfMessage): string {
  return createHash('sha256')
    .update(message.header.resultStatus ?? '-')
    .update('\n')
    .update(message.competition === null ? 'null' : canonicalElementJson(message.competition))
    .digest('hex');
}
