import { db, type RequestContext } from '../core/context';
import { AppError, NotFoundError, ValidationError } from '../core/errors';
import { isUuid } from '../core/inputs';
import { IcpVersion } from '../versioning/icp-version.entity';
import { checkerFor, type AttributeSpec } from '../scoring-engine/cel';
import {
  AccountError,
  type AccountInput,
  type CompiledModel,
  compileModel,
  type FitScore,
  type ModelSource,
} from '../scoring-engine/engine';
import type { IcpHead } from '../cache/app-cache';
import { takeAccounts } from '../auth/quotas';
import { metrics } from '../observability/metrics';

export const MAX_ACCOUNTS_PER_CALL = 10_000;
/** How many accounts are scored between two looks at the clock. */
const BUDGET_CHECK_EVERY = 256;

/** A call that spent its time budget (SCORE_TIME_BUDGET_MS) before it had scored every account: no partial answer. */
export class ScoreTimeBudgetError extends AppError {
  readonly code = 'SCORE_TIME_BUDGET_EXCEEDED';
  constructor(
    readonly budgetMs: number,
    readonly scored: number,
    readonly accounts: number,
  ) {
    super(
      `Scoring stopped after ${scored.toLocaleString('en')} of ${accounts.toLocaleString('en')} accounts: ` +
        `the time budget of ${budgetMs} ms per call (SCORE_TIME_BUDGET_MS) was used up; send fewer accounts per call`,
    );
  }
  extensions() {
    return { budgetMs: this.budgetMs, scored: this.scored, accounts: this.accounts };
  }
}

/** Compiles a snapshot (published or draft) into an evaluator. */
export async function compileSnapshot(source: ModelSource): Promise<CompiledModel> {
  return compileModel(source, await checkerFor((source.snapshot.attributes as AttributeSpec[]) ?? []));
}

/**
 * The shell around the pure engine: finds the ICP and version, loads and
 * caches the compiled model, turns account problems into input errors.
 */
export const fitScoreService = {
  async head(ctx: RequestContext, icp: string): Promise<IcpHead> {
    const cached = ctx.cache?.head(ctx.workspaceId, icp);
    if (cached) return cached;
    const [row] = await db(ctx).query(
      `SELECT i.id, i.slug, (SELECT max(version) FROM icp_version v WHERE v.icp_id = i.id) AS latest
         FROM icp i WHERE i.workspace_id = $1 AND ${isUuid(icp) ? 'i.id = $2::uuid' : 'i.slug = $2'}`,
      [ctx.workspaceId, icp],
    );
    if (!row) throw new NotFoundError('ICP', icp, 'icp');
    const head = { icpId: row.id, slug: row.slug, latest: row.latest === null ? null : Number(row.latest) };
    ctx.cache?.setHead(ctx.workspaceId, head);
    return head;
  },

  /** The compiled model of a published version (default: the latest). */
  async model(ctx: RequestContext, icp: string, version?: number | null): Promise<CompiledModel> {
    const head = await this.head(ctx, icp);
    const v = version ?? head.latest;
    if (v === null)
      throw ValidationError.one(
        'icp',
        `ICP "${head.slug}" has never been published, so it cannot be scored; publish it first`,
      );
    const build = async () => {
      const row = await db(ctx).findOne(IcpVersion, {
        where: { icpId: head.icpId, version: v, workspaceId: ctx.workspaceId },
      });
      if (!row) throw new NotFoundError(`published version of ICP "${head.slug}"`, String(v), 'version');
      return compileSnapshot({ icpId: head.icpId, icpSlug: head.slug, version: v, snapshot: JSON.parse(row.snapshot) });
    };
    return ctx.cache ? ctx.cache.model(head.icpId, v, build) : build();
  },

  async score(ctx: RequestContext, icp: string, account: AccountInput, version?: number | null): Promise<FitScore> {
    const model = await this.model(ctx, icp, version);
    await takeAccounts(ctx, 1);
    const score = scoreOrRefuse(() => model.score(account, 'account'));
    metrics.accountsScored.inc();
    return score;
  },

  /** Scores, in the input's order. */
  async scoreMany(
    ctx: RequestContext,
    icp: string,
    accounts: AccountInput[],
    version?: number | null,
  ): Promise<FitScore[]> {
    if (accounts.length > MAX_ACCOUNTS_PER_CALL) {
      throw ValidationError.one(
        'accounts',
        `at most ${MAX_ACCOUNTS_PER_CALL} accounts per call (got ${accounts.length}); split the list into several calls`,
      );
    }
    const model = await this.model(ctx, icp, version);
    await takeAccounts(ctx, accounts.length);
    const scores = scoreAll(model, accounts, scoreBudget(ctx));
    metrics.accountsScored.inc(scores.length);
    return scores;
  },
};

/** A call's time budget: its length and when it ends (performance.now()); one budget may span several lists. */
export interface ScoreBudget {
  ms: number;
  deadline: number;
}

/** The request's budget (SCORE_TIME_BUDGET_MS), starting now; none outside the server. */
export function scoreBudget(ctx: RequestContext): ScoreBudget | undefined {
  const ms = ctx.scoreTimeBudgetMs;
  return ms === undefined ? undefined : { ms, deadline: performance.now() + ms };
}

/**
 * Every account, or a ValidationError listing every refused one (at most 50
 * shown); a ScoreTimeBudgetError once past the budget (looked at every 256 accounts).
 */
export function scoreAll(model: CompiledModel, accounts: AccountInput[], budget?: ScoreBudget): FitScore[] {
  const out: FitScore[] = new Array(accounts.length);
  let problems: { path: string; message: string }[] | undefined;
  for (let i = 0; i < accounts.length; i++) {
    if (budget && i % BUDGET_CHECK_EVERY === 0 && i > 0 && performance.now() > budget.deadline)
      throw new ScoreTimeBudgetError(budget.ms, i, accounts.length);
    try {
      out[i] = model.score(accounts[i], `accounts[${i}]`);
    } catch (e) {
      if (!(e instanceof AccountError)) throw e;
      (problems ??= []).push(...e.problems);
    }
  }
  if (problems) {
    const shown = problems.slice(0, 50);
    if (problems.length > 50) shown.push({ path: 'accounts', message: `and ${problems.length - 50} more problems` });
    throw new ValidationError(shown);
  }
  return out;
}

function scoreOrRefuse(fn: () => FitScore): FitScore {
  try {
    return fn();
  } catch (e) {
    if (e instanceof AccountError) throw new ValidationError(e.problems);
    throw e;
  }
}
