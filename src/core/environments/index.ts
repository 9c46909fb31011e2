/**
 * Environments: which environment each definition file's ids belong to, and the checks that
 * keep a deploy from editing a group the file did not create or pull there.
 *
 * The small API other features build on:
 * - RecordStore.forFile(file) — the workspace's records; `find(file, baseUrl)` the file's record
 *   on a host (one per org), `all(file)` every environment's, `save`/`remove`, `lock(file)`.
 * - planForEnvironment(text, {store, file, environment, client}) — the verdict (create, edit,
 *   unchanged, drifted, conflict, mismatch, missing, unverified) and the exact request.
 * - recordDeploy(ep, response, ...) — update the record after the request was sent.
 * - recordLink(store, {file, environment, live, fileValue, via}) — a pulled or linked file.
 * - acceptLive(...) — the live group becomes "last seen" (Take live into the file).
 * - takeLiveEdits(text, live, record) — the text edits that take the live editable values into the file.
 * - openCreateIntent / settleOpenCreate / closeCreateIntent — crash-safe creates (an intent before the POST; adoption after a lost answer).
 */
export * from './identity';
export * from './record';
export * from './store';
export * from './check';
export * from './ids';
export * from './deploy';
export * from './takeLive';
export * from './config';
export * from './inEnvironment';
export * from './values';
export * from './resolve';
export * from './intent';
export * from './valuesConfig';
