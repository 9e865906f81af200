import type { DataSource } from 'typeorm';
import type { CheckpointEvery } from '../config';
import type { HistoryKeyring } from '../core/history-keys';
import type { HistoryCheckpoint } from '../core/history-checkpoint';
import { headCheckpoint } from '../core/history-rows';
import type { Logger } from '../logger';
import { DbSession } from '../db/session';
import { detached } from '../db/query-counter';
import type { CheckpointSink } from './checkpoint-sink';

/**
 * Scheduled checkpoints (CHECKPOINT_EVERY): the revision writer tells the
 * scheduler, after its transaction committed (never for a rolled-back one),
 * which index it wrote; when that index is a multiple of `revisions`, the
 * chain's head is signed and kept in the sink. Each index is written by
 * exactly one transaction, so across processes one of them sees it. Every
 * `minutes`, each chain this process wrote to since is checkpointed too.
 * A failure is logged; the write it follows has committed already.
 */
export class CheckpointScheduler {
  private readonly dirty = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ds: DataSource,
    private readonly keys: HistoryKeyring,
    private readonly sink: CheckpointSink,
    private readonly every: CheckpointEvery,
    private readonly log: Logger,
    /** Told of each checkpoint this process kept or found kept (webhooks' history.checkpoint, recorded once). */
    private readonly onWritten?: (checkpoint: HistoryCheckpoint) => Promise<void>,
  ) {
    if (every.minutes) this.timer = setInterval(() => void this.checkpointDirty(), every.minutes * 60_000).unref();
  }

  /** A revision at `chainIndex` of `workspaceId`'s chain has committed. */
  revisionCommitted(workspaceId: string, chainIndex: number): void {
    if (this.every.minutes) this.dirty.add(workspaceId);
    if (this.every.revisions && chainIndex % this.every.revisions === 0)
      // After the request's commit, not part of the request (see db/query-counter.ts).
      void this.track(detached(() => this.write(workspaceId, chainIndex)));
  }

  /** Checkpoints every chain written to since the last round. */
  checkpointDirty(): Promise<void> {
    const chains = [...this.dirty];
    this.dirty.clear();
    return Promise.all(chains.map((ws) => this.track(this.write(ws, 0)))).then(() => undefined);
  }

  /** Resolves once the checkpoints under way are written. */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all(this.pending);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.idle();
  }

  // `write` catches and logs its own failures: a tracked job never rejects.
  private track(job: Promise<void>): Promise<void> {
    this.pending.add(job);
    return job.finally(() => this.pending.delete(job));
  }

  /** Signs the chain's head, if it has reached `atLeast`, and keeps it. */
  private async write(workspaceId: string, atLeast: number): Promise<void> {
    try {
      // A session of the chain's workspace: row-level security shows its revisions only.
      const session = new DbSession(this.ds, workspaceId);
      let checkpoint;
      try {
        checkpoint = await headCheckpoint((sql, params) => session.manager.query(sql, params), this.keys, workspaceId);
      } finally {
        await session.end(true);
      }
      // Below the index announced: that revision was in a savepoint rolled back later.
      if (checkpoint.chainIndex < atLeast || checkpoint.chainIndex === 0) return;
      const kept = await this.sink.put(checkpoint);
      this.log.debug({ workspaceId, chainIndex: checkpoint.chainIndex, kept }, 'history checkpoint');
      // Reported when already kept too: a crash may have come between keeping it and reporting it (the event is
      // recorded once per chain index, see webhook/events.ts).
      await this.onWritten?.(checkpoint).catch((err: unknown) => {
        this.log.error({ err, workspaceId }, 'recording the history.checkpoint event failed');
      });
    } catch (err) {
      this.log.error({ err, workspaceId }, 'writing a history checkpoint failed');
    }
  }
}
