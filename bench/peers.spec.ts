import { isDeepStrictEqual } from 'node:util';
import type { AccountInput, CompiledModel } from '../api/src/scoring-engine/engine';
import { handWrittenMlInference } from './ml-inference.hand';
import { bufCel, mlAccounts, mlModel, outcomeOf, zenDecision } from './peers';

type Row = Record<string, any>;

/** The benchmark's accounts, then the same with several attributes missing or null at once. */
function accounts(): AccountInput[] {
  let seed = 11;
  const r = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const sparse = mlAccounts(500).map((a, i) => {
    const attrs: Row = {};
    for (const [k, v] of Object.entries(a.attributes)) {
      const x = r();
      if (x < 0.15) continue;
      attrs[k] = x < 0.2 ? null : v;
    }
    return { key: i % 2 ? `sparse-${i}` : undefined, attributes: attrs };
  });
  // Every threshold of the model exactly, and points outside a dimension's range.
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const edges = Array.from({ length: 500 }, (_, i) => ({
    key: `edge-${i}`,
    attributes: {
      annualRevenueUsd: pick([1e7 - 1, 1e7, 1e8 - 0.5, 1e8, 1e9 - 1, 1e9]),
      mlMaturity: pick(['none', 'early', 'growing', 'dedicated']),
      inferencesPerDay: pick([99.9, 100, 999, 1e3, 1e6 - 1, 1e6, 1e9 - 1, 1e9]),
      annualBudgetUsd: pick([9999, 1e4, 2e4 - 1, 2e4, 1e5 - 1, 1e5, 5e5 - 1, 5e5]),
      industry: pick(['FinTech', 'fintech', 'Government', 'Life Sciences', 'Agriculture']),
      signals: pick([[], ['industry_disruption', 'public_ai_commitment'], ['unknown_signal']]),
      useCaseFit: pick([-2, 0, 10, 12.5, 0.1]),
      commercialFit: pick([0.2, 7, 11]),
      technicalFit: 5,
      strategicValue: pick([4, 9.7]),
    },
  }));
  return [...mlAccounts(2000), ...sparse, ...edges];
}

describe('the engine benchmark: the hand-written limit and the peers compute what the engine does', () => {
  let model: CompiledModel;
  let snapshot: Row;
  beforeAll(async () => {
    ({ model, snapshot } = await mlModel());
  });

  it('the hand-written ml-inference returns the engine’s FitScore, every field and list, on 3,000 accounts', () => {
    const hand = handWrittenMlInference(snapshot);
    let differences = 0;
    let first: unknown;
    for (const a of accounts()) {
      const [ours, theirs] = [model.score(a).toJSON(), hand(a).toJSON()];
      // Deep equality (types, Dates, undefined), and the same keys in the same order.
      if (!isDeepStrictEqual(ours, theirs) || JSON.stringify(ours) !== JSON.stringify(theirs)) {
        differences++;
        first ??= { account: a, ours, theirs };
      }
    }
    expect(first).toBeUndefined();
    expect(differences).toBe(0);
    // Read through the getters, as clients read them (not only through toJSON).
    const a = accounts()[2100];
    const [s, h] = [model.score(a), hand(a)];
    expect(h.personas).toEqual(s.personas);
    expect(h.useCases).toEqual(s.useCases);
    expect([h.icpId, h.icpSlug, h.icpVersion, h.maxScore]).toEqual([s.icpId, s.icpSlug, s.icpVersion, s.maxScore]);
  });

  it('refuses a wrong value as the engine does, and a snapshot it was not written for', () => {
    const hand = handWrittenMlInference(snapshot);
    const bad = { key: 'x', attributes: { annualBudgetUsd: 'lots', mlMaturity: 'some' } };
    expect(() => hand(bad, 'accounts[3]')).toThrow(
      (() => {
        try {
          model.score(bad, 'accounts[3]');
        } catch (e) {
          return (e as Error).message;
        }
        throw new Error('the engine accepted a wrong value');
      })(),
    );
    const changed = structuredClone(snapshot);
    changed.disqualifiers[3].expression = 'account.annualBudgetUsd < 20000.0';
    expect(() => handWrittenMlInference(changed)).toThrow(
      /no longer matches the snapshot: the disqualifiers .*account.annualBudgetUsd < 20000.0/,
    );
  });

  it('@bufbuild/cel and GoRules ZEN agree with the engine on tier, disqualified, score and band for 2,000 accounts', async () => {
    const buf = bufCel(snapshot);
    const zen = await zenDecision(snapshot);
    const mismatches = { buf: 0, zen: 0 };
    const all = accounts();
    for (const a of [...all.slice(0, 1000), ...all.slice(2000)]) {
      const want = outcomeOf(model.score(a));
      const attrs = Object.fromEntries(Object.entries(a.attributes).filter(([, v]) => v !== null));
      if (JSON.stringify(buf(attrs)) !== JSON.stringify(want)) mismatches.buf++;
      if (JSON.stringify(await zen.evaluate(attrs)) !== JSON.stringify(want)) mismatches.zen++;
    }
    expect(mismatches).toEqual({ buf: 0, zen: 0 });
  });
});
