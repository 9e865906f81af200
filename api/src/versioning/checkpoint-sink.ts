import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { checkpointJson, type HistoryCheckpoint } from '../core/history-checkpoint';

/**
 * Where the server keeps signed checkpoints: append-only and outside
 * PostgreSQL, so that whoever owns the database cannot make them agree with
 * a rewritten history. One entry per (chain, index), never replaced: a second
 * put of the same index (another process, the same moment) keeps the first.
 *
 * The directory is the default. An object store fits the same interface:
 * `put` as a PutObject of `<workspace>/<index>.json` with `If-None-Match: *`
 * into a bucket with Object Lock in compliance mode and a retention period,
 * so that not even the account owner deletes or overwrites an entry early
 * ('exists' on 412 Precondition Failed).
 */
export interface CheckpointSink {
  /** Keeps the checkpoint; 'exists' when one of that chain at that index is already kept (it stays as it was). */
  put(checkpoint: HistoryCheckpoint): Promise<'written' | 'exists'>;
  /** Where entries go, for logs and the README. */
  readonly location: string;
}

/** `<dir>/<workspace>/<chain index, 12 digits>.json`, written whole, fsynced, never overwritten. */
export class DirectorySink implements CheckpointSink {
  constructor(readonly location: string) {}

  fileOf(checkpoint: Pick<HistoryCheckpoint, 'workspace' | 'chainIndex'>): string {
    return path.join(this.location, checkpoint.workspace, `${String(checkpoint.chainIndex).padStart(12, '0')}.json`);
  }

  async put(checkpoint: HistoryCheckpoint): Promise<'written' | 'exists'> {
    const file = this.fileOf(checkpoint);
    const dir = path.dirname(file);
    await fs.mkdir(dir, { recursive: true });
    // Written whole under a name of its own ('wx': never someone else's), then linked to its final name:
    // link fails if that exists, so a reader never sees half a file and nothing is replaced.
    const temp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await fs.open(temp, 'wx', 0o444);
    try {
      await handle.writeFile(checkpointJson(checkpoint));
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return 'exists';
      throw e;
    } finally {
      await fs.unlink(temp);
    }
    await syncDirectory(dir);
    return 'written';
  }
}

/** The new entry's name survives a crash once its directory is fsynced. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
