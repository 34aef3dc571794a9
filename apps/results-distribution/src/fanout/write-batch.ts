/** The write batch's lane of each channel: CIS first (its level is 0.3 s), then SSE (web: 2 s). */
export const CHANNEL_LANES = { cis: 0, sse: 1 } as const;

/** Something that holds frames while a batch is open and writes them when it closes (an Outlet). */
export interface BatchMember {
  /** Writes what it held during the batch: one write (one system call) for all of them. */
  release(): void;
}

/**
 * One round of fan-out writes: while open, outlets hold the frames written to them instead of writing each at once, and
 * when it closes each outlet writes what it held in one go. A client that gets several updates in one round (a burst,
 * a backlog being worked off, a snapshot) then costs one system call instead of one per update; a client that gets
 * one costs the same as without the batch.
 *
 * Members join a lane; lanes are released in order (0 first), so the channel with the tightest service level (CIS:
 * 0.3 s, lane 0) is written before the others (web: 2 s) when a round is large.
 */
export class WriteBatch {
  private lanes: BatchMember[][] = [];
  private depth = 0;
  /**
   * When each lane of the last batch was written (epoch ms, indexed by lane; 0 when it held nothing): the time a round's
   * updates reached that channel's sockets (results_distribution_delivery_seconds).
   */
  readonly releasedAt: number[] = [];

  get open(): boolean {
    return this.depth > 0;
  }

  /** Joins the open batch in `lane` (once per round: call it for the first frame held). */
  join(member: BatchMember, lane = 0): void {
    while (this.lanes.length <= lane) this.lanes.push([]);
    this.lanes[lane]?.push(member);
  }

  /** Runs `round` with the batch open, then releases every member that held something (also when `round` throws). */
  run(round: () => void): void {
    this.depth++;
    try {
      round();
    } finally {
      this.depth--;
      if (this.depth === 0) this.release();
    }
  }

  private release(): void {
    const lanes = this.lanes;
    this.lanes = [];
    this.releasedAt.fill(0);
    lanes.forEach((members, lane) => {
      if (members.length === 0) return;
      for (const member of members) member.release();
      this.releasedAt[lane] = Date.now();
    });
  }
}
