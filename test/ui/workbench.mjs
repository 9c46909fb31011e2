// Driving the workbench in chromium, shared by the UI checks (smoke.mjs, start.mjs).

/** F1 and `query` (">Title" runs a command, a bare name opens a file); Enter on the row showing `rowText`. */
export async function quickPick(page, query, rowText, { timeout = 20_000 } = {}) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 20_000 });
  await input.fill(query);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: rowText }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
}
