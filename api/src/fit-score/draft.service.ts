import type { RequestContext } from '../core/context';
import { ValidationError } from '../core/errors';
import { icpService } from '../modules/icp/icp.service';
import { checkerFor, type AttributeSpec } from '../scoring-engine/cel';
import { staticChecks, type Warning } from '../scoring-engine/checks';
import type { AccountInput, CompiledModel, FitScore } from '../scoring-engine/engine';
import { snapshotIcp, type IcpSnapshot } from '../versioning/snapshot';
import type { Icp } from '../modules/icp/icp.entity';
import { takeAccounts } from '../auth/quotas';
import { compileSnapshot, fitScoreService, MAX_ACCOUNTS_PER_CALL, scoreAll, scoreBudget } from './fit-score.service';

export interface ExampleResult {
  id: string;
  name: string;
  passed: boolean;
  /** What did not match, e.g. 'tier: expected "Tier 1", got "Tier 2"'. */
  failures: string[];
  score: FitScore | null;
}

export interface DraftReport {
  warnings: Warning[];
  examples: ExampleResult[];
  /** True when every example passes (publishing is then allowed). */
  publishable: boolean;
}

type Movement = 'UP' | 'DOWN' | 'IN' | 'OUT' | 'SAME';

export interface SimulatedAccount {
  accountKey: string | null;
  before: FitScore | null;
  after: FitScore;
  movement: Movement;
  changed: boolean;
  scoreDelta: number;
}

export interface Simulation {
  publishedVersion: number | null;
  accounts: SimulatedAccount[];
  summary: { up: number; down: number; in: number; out: number; same: number; changed: number; total: number };
}

async function compileDraftSnapshot(icp: Icp, snapshot: IcpSnapshot): Promise<CompiledModel> {
  try {
    return await compileSnapshot({ icpId: icp.id, icpSlug: icp.slug, version: 0, snapshot });
  } catch (e) {
    // A catalogue change can break an expression saved earlier.
    throw ValidationError.one('icp', (e as Error).message);
  }
}

/** The draft as a model, compiled like a published version (version 0). */
export async function compileDraft(
  ctx: RequestContext,
  icp: string,
): Promise<{ model: CompiledModel; snapshot: IcpSnapshot }> {
  const found = await icpService.byIdOrSlug(ctx, icp);
  const snapshot = await snapshotIcp(ctx, found);
  return { model: await compileDraftSnapshot(found, snapshot), snapshot };
}

/** Refuses to publish a snapshot whose example accounts do not all pass. */
export async function assertExamplesPass(icp: Icp, snapshot: IcpSnapshot): Promise<void> {
  const failed = runExamples(await compileDraftSnapshot(icp, snapshot), snapshot).filter((e) => !e.passed);
  if (failed.length) {
    throw new ValidationError(
      failed.map((e) => ({ path: `exampleAccounts.${e.name}`, message: e.failures.join('; ') })),
    );
  }
}

export function runExamples(model: CompiledModel, snapshot: IcpSnapshot): ExampleResult[] {
  return (snapshot.exampleAccounts ?? []).map((ex) => {
    const failures: string[] = [];
    let score: FitScore | null = null;
    try {
      score = model.score(
        { key: ex.name as string, attributes: ex.attributes as Record<string, unknown> },
        `exampleAccounts.${ex.name}`,
      );
    } catch (e) {
      failures.push((e as Error).message);
    }
    if (score) {
      const tier = score.tier?.name ?? 'none';
      const band = score.band?.name ?? 'none';
      if (ex.expectedTier != null && ex.expectedTier !== tier)
        failures.push(`tier: expected "${ex.expectedTier}", got "${tier}"`);
      if (ex.expectedDisqualified != null && ex.expectedDisqualified !== score.disqualified) {
        failures.push(
          `disqualified: expected ${ex.expectedDisqualified}, got ${score.disqualified}${score.disqualified ? ` (${score.disqualifiers.map((d) => d.name).join(', ')})` : ''}`,
        );
      }
      if (ex.expectedBand != null && ex.expectedBand !== band)
        failures.push(`band: expected "${ex.expectedBand}", got "${band}" (score ${score.score})`);
    }
    return { id: ex.id as string, name: ex.name as string, passed: failures.length === 0, failures, score };
  });
}

export const draftService = {
  /** What publishing would face: static warnings and the example accounts' results. */
  async report(ctx: RequestContext, icp: string): Promise<DraftReport> {
    const { model, snapshot } = await compileDraft(ctx, icp);
    const checker = await checkerFor((snapshot.attributes as unknown as AttributeSpec[]) ?? []);
    const examples = runExamples(model, snapshot);
    return { warnings: staticChecks(snapshot, checker), examples, publishable: examples.every((e) => e.passed) };
  },

  /** Scores accounts with the draft and with the latest published version, and says who moves. */
  async simulate(ctx: RequestContext, icp: string, accounts: AccountInput[]): Promise<Simulation> {
    if (accounts.length > MAX_ACCOUNTS_PER_CALL) {
      throw ValidationError.one(
        'accounts',
        `at most ${MAX_ACCOUNTS_PER_CALL} accounts per call (got ${accounts.length})`,
      );
    }
    const { model } = await compileDraft(ctx, icp);
    await takeAccounts(ctx, accounts.length);
    const head = await fitScoreService.head(ctx, icp);
    const published = head.latest === null ? null : await fitScoreService.model(ctx, icp, head.latest);
    const budget = scoreBudget(ctx);
    const after = scoreAll(model, accounts, budget);
    const before = published ? scoreAll(published, accounts, budget) : accounts.map(() => null);
    const summary = { up: 0, down: 0, in: 0, out: 0, same: 0, changed: 0, total: accounts.length };
    const rows = after.map((a, i) => {
      const b = before[i];
      const movement = move(b, a);
      const changed =
        !b ||
        b.tier?.partId !== a.tier?.partId ||
        b.band?.name !== a.band?.name ||
        b.disqualified !== a.disqualified ||
        b.score !== a.score;
      summary[movement === 'SAME' ? 'same' : (movement.toLowerCase() as 'up' | 'down' | 'in' | 'out')]++;
      if (changed) summary.changed++;
      return {
        accountKey: a.accountKey,
        before: b,
        after: a,
        movement,
        changed,
        scoreDelta: a.score - (b?.score ?? 0),
      };
    });
    return { publishedVersion: head.latest, accounts: rows, summary };
  },
};

/** IN: now in a tier and not disqualified, before not; OUT: the reverse; UP/DOWN: a better/worse tier, else band, else score. */
function move(before: FitScore | null, after: FitScore): Movement {
  const qualifies = (s: FitScore | null) => !!s && !!s.tier && !s.disqualified;
  if (qualifies(after) && !qualifies(before)) return 'IN';
  if (!qualifies(after) && qualifies(before)) return 'OUT';
  if (!before) return 'SAME';
  const rank = (s: FitScore) => s.tier?.rank ?? Number.MAX_SAFE_INTEGER;
  if (rank(after) !== rank(before)) return rank(after) < rank(before) ? 'UP' : 'DOWN';
  const band = (s: FitScore) => s.band?.minScore ?? Number.NEGATIVE_INFINITY;
  if (band(after) !== band(before)) return band(after) > band(before) ? 'UP' : 'DOWN';
  if (after.score !== before.score) return after.score > before.score ? 'UP' : 'DOWN';
  return 'SAME';
}
