import { createHash } from 'node:crypto';
import type { QueryFailedError } from 'typeorm';
import { db, type RequestContext } from '../core/context';
import { NotFoundError, ValidationError } from '../core/errors';
import { withTransaction } from '../db/transaction';
import { announceIcpChange } from '../cache/announce';
import { assertMayWrite } from '../auth/policy';
import { Icp } from '../modules/icp/icp.entity';
import { icpService } from '../modules/icp/icp.service';
import { partService } from '../modules/icp/part-services';
import { canonicalJson } from '../core/hash-chain';
import { ICP_PARTS, partTypes } from '../modules/icp/icp-parts';
import {
  changeList,
  contentDiff,
  icpRow,
  type IcpSnapshot,
  partRows,
  type RecordChange,
  snapshotIcp,
  snapshotPatch,
} from './snapshot';
import { assertExamplesPass } from '../fit-score/draft.service';
import { IcpVersion } from './icp-version.entity';
import type { IcpDiff } from './icp-changes.types';
import { recordRevision } from '../core/revision-writer';
import { RevisionAction } from '../core/revision.entity';
import { recordEvent } from '../modules/webhook/events';
import { WebhookEvent } from '../modules/webhook/webhook.entity';

type Row = Record<string, unknown>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export const icpVersionService = {
  async publish(ctx: RequestContext, idOrSlug: string, changelog: string): Promise<IcpVersion> {
    if (!changelog?.trim()) throw ValidationError.one('changelog', 'is required: say what changed in this version');
    if (changelog.length > 10_000) throw ValidationError.one('changelog', 'must be at most 10000 characters');
    return withTransaction(ctx, async (tx) => {
      const found = await icpService.byIdOrSlug(tx, idOrSlug);
      // Locks the ICP row: edits and other publishes of it wait, so the snapshot is consistent.
      const icp = (await db(tx).findOne(Icp, { where: { id: found.id }, lock: { mode: 'pessimistic_write' } }))!;
      const draft = await snapshotIcp(tx, icp);
      const last = await db(tx).maximum(IcpVersion, 'version', { icpId: icp.id });
      // A version is a change: publishing an unchanged draft would only make an identical version.
      if (last != null && !changeList(await versionSnapshot(tx, icp.id, last), draft).length)
        throw ValidationError.one(
          'icp',
          `nothing changed since version ${last} of "${icp.slug}": change the draft before publishing`,
        );
      // The very snapshot that is published must pass its example accounts.
      await assertExamplesPass(icp, draft);
      const snapshot = canonicalJson(draft);
      const version = db(tx).create(IcpVersion, {
        workspaceId: tx.workspaceId,
        icpId: icp.id,
        version: (last ?? 0) + 1,
        changelog: changelog.trim(),
        publishedById: tx.actor.id,
        publishedBy: tx.actor.label,
        snapshot,
        snapshotHash: sha256(snapshot),
      });
      await db(tx).insert(IcpVersion, version);
      const saved = (await db(tx).findOneBy(IcpVersion, { id: version.id }))!;
      await recordRevision(tx, {
        entityType: 'IcpVersion',
        entityId: saved.id,
        workspaceId: tx.workspaceId,
        icpId: icp.id,
        revision: 1,
        action: RevisionAction.PUBLISH,
        before: null,
        // The snapshot's hash, not the snapshot: the chain then vouches for the version's content.
        after: {
          icpId: icp.id,
          icpSlug: icp.slug,
          version: saved.version,
          changelog: saved.changelog,
          snapshotHash: saved.snapshotHash,
        },
        reason: saved.changelog,
      });
      await announceIcpChange(tx, icp.id);
      await recordEvent(tx, WebhookEvent.ICP_PUBLISHED, publishedEvent(icp, saved));
      return saved;
    });
  },

  async list(ctx: RequestContext, idOrSlug: string): Promise<IcpVersion[]> {
    const icp = await icpService.byIdOrSlug(ctx, idOrSlug);
    return db(ctx).find(IcpVersion, {
      where: { icpId: icp.id, workspaceId: ctx.workspaceId },
      order: { version: 'DESC' },
    });
  },

  /** A version by number; the latest when `version` is null. */
  async get(ctx: RequestContext, idOrSlug: string, version?: number | null): Promise<IcpVersion> {
    const icp = await icpService.byIdOrSlug(ctx, idOrSlug);
    const found = await db(ctx).findOne(IcpVersion, {
      where: { icpId: icp.id, workspaceId: ctx.workspaceId, ...(version != null ? { version } : {}) },
      order: { version: 'DESC' },
    });
    if (!found) {
      throw version != null
        ? new NotFoundError(`published version of ICP "${icp.slug}"`, String(version), 'version')
        : ValidationError.one('icp', `ICP "${icp.slug}" has never been published`);
    }
    return found;
  },

  /**
   * From one version to another (`to` null: the current draft): a JSON Patch that applies to the published
   * snapshot, and the change list.
   */
  async diff(ctx: RequestContext, idOrSlug: string, from: number, to?: number | null): Promise<IcpDiff> {
    const icp = await icpService.byIdOrSlug(ctx, idOrSlug);
    const a = await versionSnapshot(ctx, icp.id, from, icp.slug);
    const b = to != null ? await versionSnapshot(ctx, icp.id, to, icp.slug) : await snapshotIcp(ctx, icp);
    return { from, to: to ?? null, patch: snapshotPatch(a, b), changes: changeList(a, b) };
  },

  /**
   * What changed, record by record, from version `from` (default: the latest; none when never published) to
   * version `to` (default: the draft).
   */
  async changes(
    ctx: RequestContext,
    idOrSlug: string,
    from?: number | null,
    to?: number | null,
  ): Promise<RecordChange[]> {
    const icp = await icpService.byIdOrSlug(ctx, idOrSlug);
    const base = from ?? (await ctx.loaders.latestVersion().load(icp.id));
    const before = base == null ? null : await versionSnapshot(ctx, icp.id, base, icp.slug);
    const after = to != null ? await versionSnapshot(ctx, icp.id, to, icp.slug) : await snapshotIcp(ctx, icp);
    return changeList(before, after);
  },

  /**
   * Brings the draft back to a published version: parts changed since are
   * reverted, parts added since deleted, parts deleted since re-created with
   * their ids. Each is a new revision.
   */
  async revertDraft(ctx: RequestContext, idOrSlug: string, version: number, reason?: string | null): Promise<Icp> {
    // A generic verb: it reverts, re-creates and deletes records of every part type, each under its type's policy.
    for (const type of ['Icp', ...partTypes()]) assertMayWrite(ctx, 'revert', type);
    return withTransaction(ctx, async (tx) => {
      const target = JSON.parse((await this.get(tx, idOrSlug, version)).snapshot) as IcpSnapshot;
      const icp = await icpService.byIdOrSlug(tx, idOrSlug);
      const why = reason?.trim() || `draft reverted to version ${version}`;
      // Swapped ranks or names would collide row by row; they are checked at commit instead.
      await db(tx).query('SET CONSTRAINTS ALL DEFERRED');
      const draft = await snapshotIcp(tx, icp);
      const changed = (a: Row, b: Row) => contentDiff(a, b).length > 0;
      if (changed(icpRow(draft), icpRow(target))) await icpService.revertTo(tx, icpRow(target), icp.revision, why);
      for (const part of ICP_PARTS) {
        const service = partService(tx, part);
        const current = new Map(partRows(draft, part).map((r) => [r.id, r]));
        for (const row of partRows(target, part)) {
          const now = current.get(row.id);
          if (!now) await service.revertTo(tx, row, await lastRevision(tx, row.id as string), why);
          else if (changed(now, row)) await service.revertTo(tx, row, now.revision as number, why);
        }
      }
      for (const part of [...ICP_PARTS].reverse()) {
        const service = partService(tx, part);
        const keep = new Set(partRows(target, part).map((r) => r.id));
        for (const row of partRows(draft, part)) {
          if (keep.has(row.id)) continue;
          const live = await db(tx).findOne(service.entity, { where: { id: row.id as string } });
          if (live) await service.delete(tx, live.id, live.revision, { reason: why });
        }
      }
      try {
        await db(tx).query('SET CONSTRAINTS ALL IMMEDIATE');
      } catch (e) {
        const detail =
          (e as QueryFailedError & { driverError?: { detail?: string } }).driverError?.detail ?? (e as Error).message;
        throw ValidationError.one('version', `the draft cannot be brought back to version ${version}: ${detail}`);
      }
      await recordEvent(tx, WebhookEvent.ICP_VERSION_REVERTED, {
        ...icpRef(icp),
        version,
        reason: why,
        by: tx.actor.label,
      });
      return icpService.get(tx, icp.id);
    });
  },
};

/** The ICP as webhook events name it. */
const icpRef = (icp: Icp) => ({ icp: { id: icp.id, slug: icp.slug, name: icp.name } });

/** icp.published's data: which version, and the snapshot's hash to fetch and check it by (icpVersion). */
const publishedEvent = (icp: Icp, v: IcpVersion) => ({
  ...icpRef(icp),
  version: v.version,
  changelog: v.changelog,
  snapshotHash: v.snapshotHash,
  publishedBy: v.publishedBy,
  publishedAt: v.publishedAt.toISOString(),
});

/** A published version's snapshot. */
async function versionSnapshot(
  ctx: RequestContext,
  icpId: string,
  version: number,
  slug = icpId,
): Promise<IcpSnapshot> {
  const found = await db(ctx).findOne(IcpVersion, { where: { icpId, workspaceId: ctx.workspaceId, version } });
  if (!found) throw new NotFoundError(`published version of ICP "${slug}"`, String(version), 'version');
  return JSON.parse(found.snapshot) as IcpSnapshot;
}

async function lastRevision(ctx: RequestContext, entityId: string): Promise<number> {
  const [row] = await db(ctx).query('SELECT max(revision) AS r FROM revision WHERE entity_id = $1', [entityId]);
  return Number(row?.r ?? 0);
}
