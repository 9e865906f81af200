import type { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';

/** What a counter said about one use. */
export interface CounterDecision {
  allowed: boolean;
  limit: number;
  /** Points left in the window after this use (0 when refused). */
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

interface KeyState {
  /** Points PostgreSQL reported for the window at the last flush (every process's use). */
  known: number;
  /** Epoch ms at which the window ends (PostgreSQL's `expire`, or a local guess while it cannot be read). */
  resetAt: number;
  /** Whether `known` came from PostgreSQL in this window; until it has, a use asks PostgreSQL first. */
  synced: boolean;
  /** Points allowed here and not yet written. */
  unflushed: number;
  /** Points being written now. */
  inFlight: number;
  flushing?: Promise<void>;
}

export interface SharedCounterOptions {
  limit: number;
  windowMs: number;
  /** The store: rate-limiter-flexible's PostgreSQL limiter over the shared table, with `points: limit`. */
  store: RateLimiterPostgres;
  /** Called when the store fails (the counter then decides from what this process knows). */
  onStoreError: (err: unknown) => void;
}

// After a store failure, decide locally for this long before asking PostgreSQL synchronously again.
const STORE_BACKOFF_MS = 1000;

/**
 * A fixed-window counter per key, shared by every process through
 * PostgreSQL, without a round trip per use. Each process decides from the
 * last total PostgreSQL reported plus its own unwritten use, and writes that
 * use in one `consume(key, points)` per key every flush (see `flushAll`).
 *
 * Bounded overshoot: a process lets at most `batch` points of a key go
 * unwritten (a use that would pass that waits for PostgreSQL), and a flush
 * returns the total of every process, so once the total reaches the limit
 * each process allows at most `batch` more points in that window: at most
 * N × batch over the limit with N processes. Below a limit of 20 `batch`
 * is 0: every use is decided by PostgreSQL and the count is exact.
 *
 * Fail-open: if PostgreSQL cannot be written, each process keeps counting on
 * its own (at most the limit per process) and writes its use when it can.
 */
export class SharedCounter {
  readonly limit: number;
  /** The most points a process leaves unwritten per key: 5% of the limit (0 below 20: every use asks PostgreSQL). */
  readonly batch: number;
  private readonly keys = new Map<string, KeyState>();
  private storeDownUntil = 0;

  constructor(private readonly opts: SharedCounterOptions) {
    this.limit = opts.limit;
    this.batch = Math.floor(opts.limit / 20);
  }

  /** Takes `cost` points for `key`, or refuses without taking any. */
  async take(key: string, cost: number, localOnly = false): Promise<CounterDecision> {
    const now = Date.now();
    const s = this.state(key, now);
    const local = s.unflushed + s.inFlight;
    const storeDown = localOnly || now < this.storeDownUntil;
    if ((s.synced || storeDown) && s.known + local + cost > this.limit) return this.refuse(s, now);
    if ((s.synced && local + cost <= this.batch) || storeDown) {
      s.unflushed += cost;
      return this.allow(s, now);
    }
    return this.takeFromStore(key, s, cost);
  }

  /** Writes every key's unwritten use (one `consume` each) and forgets keys whose window has passed. */
  async flushAll(): Promise<void> {
    const now = Date.now();
    const pending: Promise<boolean>[] = [];
    for (const [key, s] of this.keys) {
      if (s.unflushed > 0 && !s.flushing) pending.push(this.flush(key, s, 0));
      else if (!s.flushing && s.unflushed === 0 && now >= s.resetAt) this.keys.delete(key);
    }
    await Promise.all(pending);
  }

  private state(key: string, now: number): KeyState {
    let s = this.keys.get(key);
    if (!s)
      this.keys.set(
        key,
        (s = { known: 0, resetAt: now + this.opts.windowMs, synced: false, unflushed: 0, inFlight: 0 }),
      );
    // A new window: use left unwritten from the last one belongs to it, not to this one.
    else if (now >= s.resetAt)
      Object.assign(s, { known: 0, resetAt: now + this.opts.windowMs, synced: false, unflushed: 0 });
    return s;
  }

  /** A use past the batch (or the first in a window): PostgreSQL decides, one at a time per key. */
  private async takeFromStore(key: string, s: KeyState, cost: number): Promise<CounterDecision> {
    if (s.flushing) {
      // Another use is asking PostgreSQL: its answer may let this one be decided here.
      while (s.flushing !== undefined) await s.flushing;
      return this.take(key, cost);
    }
    const stored = await this.flush(key, s, cost);
    if (!stored) return this.take(key, cost, true);
    if (s.known <= this.limit) return this.allow(s, Date.now());
    // Refused: give the points back, so a refused use costs nothing.
    s.known -= cost;
    await this.opts.store.reward(key, cost).catch((err: unknown) => this.storeFailed(err));
    return this.refuse(s, Date.now());
  }

  /**
   * Writes the key's unwritten use plus `extra`; true when PostgreSQL took
   * it (`known` is then its total). On failure the use stays unwritten.
   */
  private flush(key: string, s: KeyState, extra: number): Promise<boolean> {
    const points = s.unflushed + extra;
    s.unflushed = 0;
    s.inFlight = points;
    // inFlight is cleared in the same step as `known` takes the points in (or they go back to unflushed): never counted twice.
    const done = this.opts.store.consume(key, points).then(
      (res) => this.learn(s, res),
      (err: unknown) => {
        // Over the limit is an answer too (the store rejects with its result).
        if (isResult(err)) return this.learn(s, err);
        this.storeFailed(err);
        s.inFlight = 0;
        s.unflushed += points - extra;
        return false;
      },
    );
    const flushing = done.then(() => {
      s.flushing = undefined;
    });
    s.flushing = flushing;
    return done.then((ok) => flushing.then(() => ok));
  }

  private learn(s: KeyState, res: RateLimiterRes): true {
    s.known = res.consumedPoints;
    s.inFlight = 0;
    if (res.msBeforeNext >= 0) s.resetAt = Date.now() + res.msBeforeNext;
    s.synced = true;
    return true;
  }

  private storeFailed(err: unknown): void {
    this.storeDownUntil = Date.now() + STORE_BACKOFF_MS;
    this.opts.onStoreError(err);
  }

  private allow(s: KeyState, now: number): CounterDecision {
    const remaining = Math.max(0, this.limit - s.known - s.unflushed - s.inFlight);
    return { allowed: true, limit: this.limit, remaining, resetMs: Math.max(0, s.resetAt - now) };
  }

  private refuse(s: KeyState, now: number): CounterDecision {
    return { allowed: false, limit: this.limit, remaining: 0, resetMs: Math.max(0, s.resetAt - now) };
  }
}

function isResult(x: unknown): x is RateLimiterRes {
  return !!x && typeof x === 'object' && 'consumedPoints' in x && 'msBeforeNext' in x;
}
