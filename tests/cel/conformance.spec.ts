import { loadCel } from '../../api/src/scoring-engine/cel';
import { loadCases, UPSTREAM } from './conformance';
import { type Outcome, runCelJs, runProduct } from './evaluators';

/**
 * The official CEL conformance cases on the supported subset, through the
 * product's compiled engine and through cel-js's interpreter. A case passes,
 * or is refused when the expression is checked; it never gives a wrong value
 * (a value where CEL gives another value or an error, or the reverse).
 * KNOWN_WRONG lists the gaps left, each with its reason: the test fails when
 * a listed case starts passing (take it off) or a new wrong value appears.
 */
const KNOWN_WRONG: Record<string, string> = {};

const { cases, skipped } = loadCases();

describe(`CEL conformance (${UPSTREAM})`, () => {
  const product: Record<Outcome, string[]> = { pass: [], refused: [], wrong: [] };
  const celjs: Record<Outcome, string[]> = { pass: [], refused: [], wrong: [] };

  beforeAll(async () => {
    const cel = await loadCel();
    for (const c of cases) {
      product[runProduct(c)].push(c.name);
      celjs[runCelJs(cel, c)].push(c.name);
    }
    const reasons = new Map<string, number>();
    for (const s of skipped) reasons.set(s.reason, (reasons.get(s.reason) ?? 0) + 1);
    console.log(
      [
        `CEL conformance, ${cases.length} cases in the subset (${skipped.length} skipped):`,
        `  product engine: ${product.pass.length} pass, ${product.refused.length} refused at check time, ${product.wrong.length} wrong`,
        `  cel-js interpreter: ${celjs.pass.length} pass, ${celjs.refused.length} refused, ${celjs.wrong.length} wrong`,
        ...[...reasons].map(([r, n]) => `  skipped ${n}: ${r}`),
      ].join('\n'),
    );
  });

  it('gives no wrong value: every case in the subset passes or is refused at check time', () => {
    expect(product.wrong.filter((n) => !KNOWN_WRONG[n])).toEqual([]);
  });

  it('lists only known gaps that are still wrong', () => {
    expect(Object.keys(KNOWN_WRONG).filter((n) => !product.wrong.includes(n))).toEqual([]);
  });

  it("passes at least as many cases as cel-js's own interpreter", () => {
    expect(product.pass.length).toBeGreaterThanOrEqual(celjs.pass.length);
  });

  it('covers every listed file', () => {
    expect(new Set(cases.map((c) => c.file)).size).toBe(13);
  });
});
