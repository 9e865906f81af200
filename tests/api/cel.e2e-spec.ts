import { STRATEGIC_BANK } from '../fixtures/accounts';
import { entityOps } from '../helpers/operations';
import { startTestServer, type TestServer } from '../helpers/server';

// CEL as specified, seen through the API (issue 14): refusals when saved, with
// the range; an evaluation error is an error of its check, in the explanation.
let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

const CHECK = `query($e: String!) { checkExpression(expression: $e) { valid message start end } }`;

it('refuses, when saved, comprehensions too costly in the worst case and features outside the subset, with the range', async () => {
  const nested = 'account.signals.exists(a, account.signals.exists(b, a == b)) || account.employees > 1';
  const costly = (await t.ok(CHECK, { e: nested })).checkExpression;
  expect(costly).toMatchObject({ valid: false, start: 0, end: nested.indexOf(' ||') });
  expect(costly.message).toMatch(/steps per account .* above the limit of 1,000,000/);
  const uint = (await t.ok(CHECK, { e: 'account.employees > 1u' })).checkExpression;
  expect(uint).toMatchObject({ valid: false });
  expect(uint.message).toMatch(/unsigned/);
  // A division by zero is an error when evaluated, not when saved.
  expect((await t.ok(CHECK, { e: 'account.employees / 0 > 1' })).checkExpression.valid).toBe(true);
});

it("an evaluation error is an error of that check alone, recorded in the account's explanation", async () => {
  const { triggerEvents } = await t.ok(`{ triggerEvents { id name revision icp { slug } } }`);
  const trigger = triggerEvents.find((x: { icp: { slug: string } }) => x.icp.slug === 'ml-inference');
  await t.ok(entityOps('TriggerEvent').update, {
    id: trigger.id,
    rev: trigger.revision,
    input: { expression: '10 / (int(account.inferencesPerDay) - int(account.inferencesPerDay)) > 1' },
  });
  const account = {
    ...STRATEGIC_BANK,
    useCaseFit: 9,
    commercialFit: 9,
    technicalFit: 9,
    strategicValue: 10,
  };
  const q = `query($as: [AccountInput!]!) { simulateIcp(icp: "ml-inference", accounts: $as) { accounts { after { score tier { rank } explanation { name held error } } } } }`;
  const [{ after }] = (await t.ok(q, { as: [{ key: 'bank', attributes: account }] })).simulateIcp.accounts;
  expect(after.tier.rank).toBe(1);
  expect(after.score).toBe(37);
  const errors = after.explanation.filter((c: { error: string | null }) => c.error);
  expect(errors).toEqual([{ name: trigger.name, held: false, error: 'division by zero' }]);
});
