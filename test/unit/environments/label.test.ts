/**
 * An environment in a message: its name with its base URL, once. A loopback URL's default name
 * ("Local sandbox (127.0.0.1:4000)") already shows the host, so the URL is not repeated after it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultEnvironmentName, describeEnvironment, environmentLabel } from '../../../src/core/environments/identity';

test('a name that shows the host is not followed by the URL again; another name is', () => {
  const local = 'http://127.0.0.1:4000';
  assert.equal(environmentLabel(defaultEnvironmentName(local), local), 'Local sandbox (127.0.0.1:4000)');
  assert.equal(environmentLabel('uat', 'https://eu.api.capillarytech.com'), 'uat (https://eu.api.capillarytech.com)');
  assert.equal(environmentLabel(undefined, local), local);
  assert.equal(environmentLabel(local, local), local);
  assert.equal(
    describeEnvironment({ baseUrl: local, orgId: 100737 }, defaultEnvironmentName(local)),
    'Local sandbox (127.0.0.1:4000) (org 100737)',
  );
  assert.equal(
    describeEnvironment({ baseUrl: 'https://eu.api.capillarytech.com', orgId: 7 }, 'uat'),
    'uat, https://eu.api.capillarytech.com (org 7)',
  );
  assert.equal(describeEnvironment({ baseUrl: local }), local);
});

test('property: never throws, and the label always names the base URL or a name that shows its host', () => {
  fc.assert(
    fc.property(fc.option(fc.string(), { nil: undefined }), fc.oneof(fc.webUrl(), fc.string()), (name, baseUrl) => {
      const label = environmentLabel(name, baseUrl);
      let host = '';
      try {
        host = new URL(baseUrl).host;
      } catch {
        host = '';
      }
      assert.ok(label.includes(baseUrl) || (host !== '' && label.includes(host)));
    }),
  );
});
