// Runs after the other suites (alphabetical order): secrets used anywhere must be absent from
// the settings and from the extension's log.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import { activateExtension, readLogs, usedSecrets } from '../helpers';

/** What a leaked Basic credential could look like: the secret, its MD5 hex, the header value. */
function forms(secret: string): string[] {
  const md5 = createHash('md5').update(secret).digest('hex');
  return [secret, md5];
}

suite('Secrets', () => {
  test('secrets are absent from settings and from the log', async () => {
    const api = await activateExtension();
    assert.ok(usedSecrets.size > 0, 'the other suites used secrets');
    const config = vscode.workspace.getConfiguration('milestones');
    const settings = JSON.stringify([config.inspect('connections'), config.inspect('activeConnection')]);
    // The log is written by a file logger that flushes shortly after each line.
    await new Promise((r) => setTimeout(r, 1500));
    const log = await readLogs(api.logUri);
    assert.ok(log.includes('[deploy]') || log.includes('[connections]'), `the extension log was found in ${api.logUri.toString()}`);
    for (const secret of usedSecrets) {
      for (const form of forms(secret)) {
        assert.ok(!settings.includes(form), 'no secret in settings');
        assert.ok(!log.includes(form), 'no secret in the log');
      }
    }
    assert.ok(!/Basic [A-Za-z0-9+/=]{8,}/.test(log), 'no Basic authorization header in the log');
  });
});
