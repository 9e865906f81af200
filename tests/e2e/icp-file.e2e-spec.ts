import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { consoleSuite } from '../helpers/browser';

// ICP files in the console: export, and import into the draft with a preview.
consoleSuite('the console: ICP files', (ui) => {
  it('exports an ICP and imports an edited file into the draft, after a preview of the changes', async () => {
    const { icpBySlug: icp } = await ui.t.ok(`{ icpBySlug(idOrSlug: "driftsentry") { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/icps/${icp.id}/show`));
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export YAML' }).click(),
    ]);
    expect(exported.suggestedFilename()).toBe('driftsentry.icp.yaml');
    const text = fs.readFileSync(await exported.path(), 'utf8');
    const { exportIcp } = await ui.t.ok(`{ exportIcp(icp: "driftsentry") }`);
    expect(text).toBe(exportIcp);

    // Edit the file as a team would in a pull request: a new trigger event.
    const edited = text.replace(
      /^triggerEvents:\n/m,
      `triggerEvents:\n  - name: Hired a Head of Platform\n    expression: '"new_platform_leader" in account.signals'\n`,
    );
    expect(edited).not.toBe(text);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'icp-file-')), 'driftsentry.icp.yaml');
    fs.writeFileSync(file, edited);
    await page.goto(ui.url('/icps'));
    await page.getByRole('button', { name: 'Import YAML' }).click();
    await page.getByLabel('ICP file', { exact: true }).setInputFiles(file);
    await page.getByLabel('Why').fill('Trigger from the Q4 review');
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const preview = page.getByTestId('import-preview');
    await preview.getByText('TriggerEvent “Hired a Head of Platform”').waitFor();
    await ui.shot(page, 'icp-import-preview');
    // The preview changed nothing.
    const before = await ui.t.ok(`{ triggerEvents(filter: { q: "Head of Platform" }) { id } }`);
    expect(before.triggerEvents).toEqual([]);
    await page.getByRole('button', { name: 'Import into the draft' }).click();
    await page.getByText(/driftsentry: \d+ changes? imported into the draft/).waitFor();
    await page.waitForURL(/#\/icps\/[^/]+\/show$/);
    const { triggerEvents } = await ui.t.ok(`{ triggerEvents(filter: { q: "Head of Platform" }) { id expression } }`);
    expect(triggerEvents).toHaveLength(1);
    const { history } = await ui.t.ok(
      `query($id: ID!) { history(filter: { entityId: $id }) { action reason actorLabel } }`,
      { id: triggerEvents[0].id },
    );
    expect(history).toEqual([
      { action: 'CREATE', reason: 'Trigger from the Q4 review', actorLabel: 'admin@example.test' },
    ]);
    await context.close();
  });

  it('downloads a published version as a SQL view in the dialect chosen on the versions page (issue 19)', async () => {
    const { icpBySlug: icp } = await ui.t.ok(`{ icpBySlug(idOrSlug: "itsm") { id } }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url(`/icps/${icp.id}/show/versions`));
    await page.getByLabel('SQL dialect').selectOption('DUCKDB');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('version-1').getByRole('button', { name: 'Download SQL' }).click(),
    ]);
    expect(file.suggestedFilename()).toBe('itsm-v1.duckdb.sql');
    const { exportIcpSql } = await ui.t.ok(`{ exportIcpSql(icp: "itsm", version: 1, dialect: DUCKDB) { sql } }`);
    const timeless = (sql: string) => sql.replace(/Generated at: \S+/, 'Generated at: -');
    expect(timeless(fs.readFileSync(await file.path(), 'utf8'))).toBe(timeless(exportIcpSql.sql));
    await context.close();
  });

  it('lists every problem of a bad file with its line, and changes nothing', async () => {
    const bad = path.resolve(__dirname, '../fixtures/five-errors.icp.yaml');
    const { historyCount: before } = await ui.t.ok(`{ historyCount }`);
    const { context, page } = await ui.newPage();
    await ui.signIn(page);
    await page.goto(ui.url('/icps'));
    await page.getByRole('button', { name: 'Import YAML' }).click();
    await page.getByLabel('ICP file', { exact: true }).setInputFiles(bad);
    // The refusal is an HTTP 400, which the browser reports in its console: that one is expected.
    ui.expectErrors(/status of 400/);
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const problems = page.getByTestId('import-problems');
    await problems.getByText(/5 problems in five-errors.icp.yaml: nothing was changed/).waitFor();
    expect(await problems.locator('li').count()).toBe(5);
    for (const li of await problems.locator('li').allInnerTexts()) expect(li).toMatch(/^line \d+/);
    await ui.shot(page, 'icp-import-problems');
    expect(await page.getByRole('button', { name: 'Import into the draft' }).isDisabled()).toBe(true);
    const { historyCount: after } = await ui.t.ok(`{ historyCount }`);
    expect(after).toBe(before);
    await context.close();
  });
});
