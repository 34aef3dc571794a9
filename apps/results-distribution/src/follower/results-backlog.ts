import type { JsMsg } from 'nats';

/** A RESULTS message taken in while behind: parsed as JSON, not yet validated nor applied. */
export interface BackloggedResult {
  readonly msg: JsMsg;
  readonly subject: string;
  /** The parsed envelope (unvalidated), or undefined when the bytes were not JSON (`error` says why). */
  readonly envelope: unknown;
  readonly error: Error | null;
  /** data.documentKey, when it reads as one. */
  readonly key: string | null;
  /** data.version, NaN when it does not read as a number. */
  readonly version: number;
  /**
   * A LIVE version of a full document (not OFFICIAL, not an _UPDATE delta that must be merged into its base): a newer
   * version of the same document makes it obsolete.
   */
  readonly conflatable: boolean;
}

/**
 * RESULTS messages taken in while results-distribution is behind, in stream order (see DistributionLifecycle.onResult).
 * Reads only what deciding needs from the unvalidated JSON; validation happens when the message is applied.
 */
export class ResultsBacklog {
  private items: BackloggedResult[] = [];
  private readonly decoder = new TextDecoder();

  get size(): number {
    return this.items.length;
  }

  add(msg: JsMsg, subject: string): void {
    let envelope: unknown;
    let error: Error | null = null;
    try {
      envelope = JSON.parse(this.decoder.decode(msg.data));
    } catch (err) {
      error = err instanceof Error ? err : new Error(String(err));
    }
    const data = isRecord(envelope) && isRecord(envelope['data']) ? envelope['data'] : {};
    const key = typeof data['documentKey'] === 'string' ? data['documentKey'] : null;
    const version = typeof data['version'] === 'number' ? data['version'] : Number.NaN;
    const conflatable = key !== null && data['resultStatus'] !== 'OFFICIAL' && data['baseDocumentKey'] === null;
    this.items.push({ msg, subject, envelope, error, key, version, conflatable });
  }

  /** Every message waiting, oldest first; the backlog is empty afterwards. */
  take(): BackloggedResult[] {
    const items = this.items;
    this.items = [];
    return items;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
