import { checkerFor } from './cel';
import { staticChecks } from './checks';
import { snapshotFromFile } from './from-file';

describe('static checks', () => {
  it('a criterion that fails with an evaluation error on some samples does not stop the checks', async () => {
    const attributes = [{ name: 'n', type: 'INT' }];
    const snapshot = snapshotFromFile(
      {
        slug: 't',
        name: 'T',
        tiers: [
          { name: 'A', rank: 1, criteria: '10 / account.n >= 1' },
          { name: 'B', rank: 2, criteria: 'account.n >= 1' },
        ],
        scoring: { dimensions: [], bands: [] },
      },
      attributes,
    );
    const warnings = staticChecks(snapshot, await checkerFor(attributes as never));
    expect(warnings.filter((w) => w.kind === 'TIER_OVERLAP')).toHaveLength(1);
  });
});
