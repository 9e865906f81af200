import fs from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { checkpointProblem, parseCheckpoint } from '../../api/src/core/history-checkpoint';
import { publicKeyText } from '../../api/src/core/history-keys';
import { consoleSuite } from '../helpers/browser';
import { TEST_HISTORY_KEYS } from '../helpers/db';
import { addMember, entityOps, newWorkspace } from '../helpers/operations';
import { rewriteHistoryAsOwner } from '../helpers/tamper';

const AUDITOR = { email: 'auditor@audit.test', password: 'an auditor password' };
const persona = entityOps('Persona');
const CHECKPOINT = `{ historyCheckpoint { workspace chainIndex headHash at keyId signature } }`;
const VERIFY = `query($c: HistoryCheckpointInput) { verifyHistory(checkpoint: $c) { valid checked fromIndex } }`;

/** A time as the console shows it (history/RecordHistory.tsx `when`), in the browser's own locale. */
const shownAs = (page: Page, at: string) =>
  page.evaluate((iso) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' }), at);

/** Chooses a file through the page's button, from the keyboard, as someone without a mouse would. */
async function verifyAgainst(page: Page, file: string | { name: string; mimeType: string; buffer: Buffer }) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /verify against a kept checkpoint/i }).focus();
  await page.keyboard.press('Enter');
  await (await chooser).setFiles(file);
}

// Issue 15, item 4: the auditor's view, in Chromium against the real server.
consoleSuite("the console: the auditor's view", (ui) => {
  let demo: string;
  beforeAll(async () => {
    await addMember(ui.t, AUDITOR.email, 'AUDITOR', {}, AUDITOR.password);
    [{ id: demo }] = await ui.t.sql(`SELECT id FROM workspace WHERE slug = 'demo'`);
  });
  const head = async () =>
    (
      await ui.t.sql<{ chain_index: number; hash: string }>(
        'SELECT chain_index, hash FROM revision WHERE workspace_id = $1 ORDER BY chain_index DESC LIMIT 1',
        [demo],
      )
    )[0];

  it('keeps a checkpoint, proves later changes against it, and names a revision rewritten before it', async () => {
    const { context, page } = await ui.newPage();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await ui.signIn(page, AUDITOR.email, AUDITOR.password);
    await page.getByRole('menuitem', { name: 'Verification' }).click();
    await page.getByRole('heading', { name: 'Download the current checkpoint' }).waitFor();

    // Download: the file is the workspace's head, signed, and verifies.
    const before = await head();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the current checkpoint' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`checkpoint-demo-${before.chain_index}.json`);
    const keptPath = await download.path();
    const text = fs.readFileSync(keptPath, 'utf8');
    const kept = JSON.parse(text);
    expect(kept).toEqual({
      workspace: demo,
      chainIndex: before.chain_index,
      headHash: before.hash,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      keyId: TEST_HISTORY_KEYS.signing.keyId,
      signature: expect.any(String),
    });
    expect(checkpointProblem(TEST_HISTORY_KEYS, parseCheckpoint(text))).toBeNull();
    expect((await ui.t.ok(VERIFY, { c: kept })).verifyHistory).toEqual({
      valid: true,
      checked: 1,
      fromIndex: before.chain_index,
    });
    await page.getByText(`Saved checkpoint-demo-${before.chain_index}.json`).waitFor();

    // More changes, then the kept file: green, since the checkpoint's time, counting what came after it.
    const { personas } = await ui.t.ok(`{ personas(limit: 1) { id revision } }`);
    const r = await ui.t.ok(persona.update, { id: personas[0].id, rev: personas[0].revision, input: { quote: 'A' } });
    await ui.t.ok(persona.update, { id: personas[0].id, rev: r.r.revision, input: { quote: 'B' } });
    expect((await head()).chain_index).toBe(before.chain_index + 2);
    await verifyAgainst(page, keptPath);
    const result = page.getByTestId('audit-result');
    await result
      .getByText(`History since ${await shownAs(page, kept.at)} intact: 3 revisions checked`, { exact: true })
      .waitFor();
    expect(await result.innerText()).toContain(`revision #${before.chain_index}) is still in place`);
    await ui.shot(page, 'audit-green');

    // The owner rewrites a revision before the checkpoint and recomputes every hash after it: red, naming it.
    const k = 5;
    const victim = await rewriteHistoryAsOwner(ui.t, demo, k, 'rewritten by the owner');
    await verifyAgainst(page, keptPath);
    await result.getByText(`History broken at revision #${k}`).waitFor();
    const red = await result.innerText();
    expect(red).toContain(`${victim.action.toLowerCase()} of ${victim.entityType}`);
    expect(red).toContain(`by ${victim.actorLabel}, ${await shownAs(page, new Date(victim.at).toISOString())}`);
    expect(red).toContain('Bad signature');
    expect(red).toContain(`${k - 1} revisions held from revision #1, against the checkpoint of`);
    await ui.shot(page, 'audit-red');
    // Without a checkpoint the whole history is checked: the same revision.
    await page.getByRole('button', { name: 'Verify the whole history' }).click();
    await result.getByText(`History broken at revision #${k}`).waitFor();

    // A file that is not a checkpoint: the problems, named; nothing verified.
    const { signature: _, ...unsigned } = kept;
    await verifyAgainst(page, {
      name: 'notes.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ ...unsigned, chainIndex: 'ten' })),
    });
    const refused = page.getByTestId('audit-refused');
    await refused.getByText('Not a checkpoint').waitFor();
    expect(await refused.innerText()).toContain('"chainIndex" must be a whole number, 0 or more (it is "ten")');
    expect(await refused.innerText()).toContain('the field "signature" is missing');
    expect(await result.count()).toBe(0);
    await verifyAgainst(page, { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('kept on paper') });
    await refused.getByText(/^it is not JSON \(.+\)$/).waitFor();
    // Another workspace's checkpoint, genuine: the server refuses it, and the page says what to do.
    const { id: other } = await newWorkspace(ui.t, 'audit-other');
    const { historyCheckpoint } = await ui.t.ok(CHECKPOINT, {}, { 'x-workspace': 'audit-other' });
    ui.expectErrors(/status of 400/);
    await verifyAgainst(page, {
      name: 'checkpoint-audit-other.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(historyCheckpoint)),
    });
    await refused.getByText('Verification refused').waitFor();
    expect(await refused.innerText()).toContain('This is a checkpoint of another workspace');
    expect(await refused.innerText()).toContain(`checkpoint.workspace: is ${other}`);

    // The public keys: the signing key, current, with its use in this workspace (read again now); its key copies.
    await page.reload();
    const [{ n, first, last }] = await ui.t.sql(
      'SELECT count(*)::int AS n, min(at) AS first, max(at) AS last FROM revision WHERE workspace_id = $1 AND key_id = $2',
      [demo, TEST_HISTORY_KEYS.signing.keyId],
    );
    const publicKey = publicKeyText(TEST_HISTORY_KEYS.publicKeys.get(TEST_HISTORY_KEYS.signing.keyId)!.key);
    const row = page.getByTestId(`key-${TEST_HISTORY_KEYS.signing.keyId}`);
    await row.waitFor();
    const cells = await row.getByRole('cell').allInnerTexts();
    expect(cells.map((c) => c.trim())).toEqual([
      TEST_HISTORY_KEYS.signing.keyId,
      publicKey,
      'current',
      await shownAs(page, new Date(first).toISOString()),
      await shownAs(page, new Date(last).toISOString()),
      String(n),
    ]);
    await row.getByRole('button', { name: `copy the public key ${TEST_HISTORY_KEYS.signing.keyId}` }).click();
    await page.getByText(`Copied the public key ${TEST_HISTORY_KEYS.signing.keyId}`).waitFor();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(publicKey);
    await context.close();
  });

  it('fits 390 px and passes axe', async () => {
    const { context, page } = await ui.newPage({ width: 390, height: 844 });
    await ui.signIn(page, AUDITOR.email, AUDITOR.password);
    await page.goto(ui.url('/audit'));
    await page.getByTestId(`key-${TEST_HISTORY_KEYS.signing.keyId}`).waitFor();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await ui.shot(page, 'audit-narrow');
    const { violations } = await new AxeBuilder({ page }).include('main').analyze();
    expect(violations.map((v) => `${v.id}: ${v.nodes.map((x) => x.target.join(' ')).join(', ')}`)).toEqual([]);
    await context.close();
  });

  it('is not offered to a client, and says so instead of asking the server', async () => {
    const password = 'a client password';
    await addMember(ui.t, 'client@audit.test', 'CLIENT', {}, password);
    const { context, page } = await ui.newPage();
    const asked: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql')) asked.push(r.postData() ?? '');
    });
    await ui.signIn(page, 'client@audit.test', password, 'Signed in as client@audit.test');
    expect(await page.getByText('Verification', { exact: true }).count()).toBe(0);
    await page.goto(ui.url('/audit'));
    await page.getByText('Your role may not verify the history of this workspace.').waitFor();
    await page.waitForLoadState('networkidle');
    expect(asked.filter((q) => /historyCheckpoint|verifyHistory|historyPublicKeys/.test(q))).toEqual([]);
    await context.close();
  });
});
