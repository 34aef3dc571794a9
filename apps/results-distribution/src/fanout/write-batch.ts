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
 */
export class WriteBatch {
  private members: BatchMember[] = [];
  private depth = 0;

  get open(): boolean {
    return this.depth > 0;
  }

  /** Joins the open batch (once per round: call it for the first frame held). */
  join(member: BatchMember): void {
    this.members.push(member);
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
    const members = this.members;
    this.members = [];
    for (const member of members) member.release();
  }
}
