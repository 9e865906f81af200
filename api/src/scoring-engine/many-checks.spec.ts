import { checkerFor } from './cel';
import { compileModel } from './engine';
import { snapshotFromFile } from './from-file';

/**
 * The engine keeps each check's outcome as bits, 32 checks a word (issue 18): a model of 75 checks spans three
 * words, with held checks on bits 31 and 63, an error, an unknown trigger and a rule whose points lack a value
 * in the third word.
 */
describe('engine: a model of more than 32 checks', () => {
  const attributes = ['n', 'z', 'm', 'p'].map((name) => ({ name, type: 'INT' as const }));
  const triggers = Array.from({ length: 70 }, (_, i) => ({ name: `T${i}`, expression: `account.n > ${i}` }));
  const file = {
    slug: 'many',
    name: 'Many',
    triggerEvents: [
      ...triggers,
      { name: 'E', expression: '10 / account.z > 1' },
      { name: 'U', expression: 'account.m > 0' },
    ],
    scoring: {
      dimensions: [
        {
          name: 'D',
          max: 1000,
          rules: [
            { name: 'R0', condition: 'account.n > 35', points: '2' },
            { name: 'R1', condition: 'true', points: 'account.p' },
            { name: 'R2', condition: 'account.n > 50', points: 'account.n' },
          ],
        },
      ],
      bands: [{ name: 'any', minScore: 0, action: 'go' }],
    },
  };
  const compile = async () => {
    const s = snapshotFromFile(file, attributes);
    return compileModel({ icpId: s.icp.id, icpSlug: 'many', version: 1, snapshot: s }, await checkerFor(attributes));
  };

  it('reports every check of every word: held, not held, error, unknown, points', async () => {
    const m = await compile();
    const s = m.score({ attributes: { n: 64, z: 0 } });
    expect(s.triggers.map((t) => t.name)).toEqual(triggers.slice(0, 64).map((t) => t.name));
    expect(s.missingAttributes).toEqual(['m', 'p']);
    expect([s.score, s.undetermined, s.action]).toEqual([66, false, 'go']);
    expect(s.dimensions).toEqual([
      {
        name: 'D',
        score: 66,
        max: 1000,
        hits: [expect.objectContaining({ name: 'R0', points: 2 }), expect.objectContaining({ name: 'R2', points: 64 })],
      },
    ]);
    const entries = s.explanation.map((c) => [c.name, c.held, c.points, c.missingAttributes, c.error]);
    expect(entries).toEqual([
      ...triggers.map((t, i) => [t.name, i < 64, null, [], null]),
      ['E', false, null, [], 'division by zero'],
      ['U', false, null, ['m'], null],
      ['R0', true, 2, [], null],
      ['R1', false, 0, ['p'], null],
      ['R2', true, 64, [], null],
    ]);
  });

  it("shares a check's entry between scores only where it does not depend on the account, frozen", async () => {
    const m = await compile();
    const [a, b] = [m.score({ attributes: { n: 64, z: 1, p: 3 } }), m.score({ attributes: { n: 60, z: 1, p: 4 } })];
    const [ea, eb] = [a.explanation, b.explanation];
    // T0 held in both, R0 held with its constant points: one entry; R1 and R2 with each account's points: two.
    expect(ea[0]).toBe(eb[0]);
    expect(Object.isFrozen(ea[0])).toBe(true);
    expect(ea[72]).toBe(eb[72]);
    expect([ea[73].points, eb[73].points, ea[74].points, eb[74].points]).toEqual([3, 4, 64, 60]);
    expect(() => {
      (ea[0] as { held: boolean }).held = false;
    }).toThrow(TypeError);
    expect(eb[0].held).toBe(true);
  });
});
