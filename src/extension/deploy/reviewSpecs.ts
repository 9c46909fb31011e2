import * as vscode from 'vscode';
import type { LiveVerdict } from '../../core/deploy/index';
import type { EnvironmentPlan } from '../../core/environments/index';
import type { loadDeploy } from '../lazy';
import { displayName } from '../documents';
import type { ReviewDocuments, ReviewSpec } from './review';

type Deploy = Awaited<ReturnType<typeof loadDeploy>>;

export interface ReviewContext {
  document: vscode.TextDocument;
  connectionName: string;
  production: boolean;
  deploy: Deploy;
  /** The file's text the plan was made from: the review says when the file holds anything else. */
  reviewed: string;
}

/** The lines every review ends with: what the platform will not apply, and what deploy did on the user's behalf. */
function notApplied(ep: EnvironmentPlan, deploy: Deploy): string[] {
  const plan = ep.plan;
  const lines: string[] = [];
  if (plan.ignoredChanges.length > 0) {
    lines.push(vscode.l10n.t('Not applied (the platform edits only names, descriptions and expressions):'));
    for (const c of plan.ignoredChanges) lines.push(`  ${deploy.ignoredChangeLine(c)}`);
  }
  return [...lines, ...plan.notes];
}

function sides(r: ReviewContext, ep: EnvironmentPlan, live: LiveVerdict['live']): { live: string; sent: string } {
  const text = r.reviewed;
  return { live: r.deploy.liveView(text, live), sent: r.deploy.sentView(text, ep.prepared.value ?? {}) };
}

/**
 * The review of an edit: live (left) ↔ the file as it is sent (right), with the changes field by
 * field above both sides; Apply Edit or Cancel on its title bar.
 */
export function editReview(r: ReviewContext, verdict: LiveVerdict, ep: EnvironmentPlan): ReviewSpec {
  const name = displayName(r.document);
  const id = String(ep.plan.id ?? verdict.live.id);
  const changes = r.deploy.fileChanges(verdict, ep.prepared.body ?? {});
  const header = [
    vscode.l10n.t(
      'Edit of target group {0} on {1}: live (left) ↔ {2} as it is sent (right). Comments and layout are not compared.',
      id,
      r.connectionName,
      name,
    ),
    ...(r.production ? [vscode.l10n.t('{0} is a production connection: this changes live milestones.', r.connectionName)] : []),
    vscode.l10n.t('Changes ({0}):', changes.length),
    ...changes.map((c) => `  ${r.deploy.changeLine(c)}`),
    ...notApplied(ep, r.deploy),
    vscode.l10n.t('Apply Edit (✓ on the title bar, or the status bar) sends it; Cancel, or closing this tab, changes nothing.'),
  ];
  const { live, sent } = sides(r, ep, verdict.live);
  const label = verdict.live.name ?? id;
  return {
    kind: 'edit',
    file: r.document.uri,
    reviewed: r.reviewed,
    fileName: displayName(r.document),
    label: vscode.l10n.t('Edit of {0} on {1}', name, r.connectionName),
    tabs: [
      {
        title: vscode.l10n.t('Review: {0} on {1} ↔ {2}', label, r.connectionName, name),
        pair: r.deploy.reviewPair(header, live, sent),
        originalName: `${label} (${id}) live`,
        modifiedName: `${name} as sent`,
      },
    ],
  };
}

/**
 * The review of a create (on a production connection; elsewhere a create is sent without a
 * question): nothing there (left) ↔ the file as it is sent (right), with what it creates (the
 * group, its targets and periods) above both sides; Create or Cancel on its title bar.
 */
export function createReview(r: ReviewContext, ep: EnvironmentPlan): ReviewSpec {
  const name = displayName(r.document);
  const value = ep.prepared.value ?? {};
  const header = [
    vscode.l10n.t(
      'Create on {0}: nothing there yet (left) ↔ {1} as it is sent (right). Comments and layout are not shown.',
      r.connectionName,
      name,
    ),
    ...(r.production ? [vscode.l10n.t('{0} is a production connection: this creates a live milestone.', r.connectionName)] : []),
    vscode.l10n.t('Creates:'),
    ...r.deploy.createSummary(ep.plan.body).map((line) => `  ${line}`),
    ...notApplied(ep, r.deploy),
    vscode.l10n.t('Create (✓ on the title bar, or the status bar) sends it; Cancel, or closing this tab, changes nothing.'),
  ];
  const nothing = vscode.l10n.t('// Nothing on {0} yet: this target group does not exist there.', r.connectionName);
  const sent = r.deploy.sentView(r.reviewed, value);
  const label = typeof value['name'] === 'string' ? value['name'] : name;
  return {
    kind: 'create',
    file: r.document.uri,
    reviewed: r.reviewed,
    fileName: name,
    label: vscode.l10n.t('Create of {0} on {1}', name, r.connectionName),
    tabs: [
      {
        title: vscode.l10n.t('Review: create {0} on {1} ↔ {2}', label, r.connectionName, name),
        pair: r.deploy.reviewPair(header, nothing, sent),
        originalName: `nothing on ${r.connectionName}`,
        modifiedName: `${name} as sent`,
      },
    ],
  };
}

/**
 * The review of a conflict, two diff tabs: what changed on the platform (last seen ↔ live), and
 * in front, live ↔ the file as Overwrite Live would send it; Take Live into the File, Overwrite
 * Live or Cancel on their title bars.
 */
export function conflictReview(r: ReviewContext, verdict: LiveVerdict, ep: EnvironmentPlan): ReviewSpec {
  const name = displayName(r.document);
  const id = String(verdict.live.id);
  const label = verdict.live.name ?? id;
  const onPlatform = r.deploy.platformChanges(verdict);
  const mine = r.deploy.fileChanges(verdict, ep.prepared.body ?? {});
  const actions = vscode.l10n.t(
    'Take Live into the File keeps the platform’s change (nothing is sent); Overwrite Live sends your file and undoes it; Cancel, or closing the review, changes nothing.',
  );
  const platformHeader = [
    vscode.l10n.t('What changed on {0} since {1} last saw target group {2}: last seen (left) ↔ live (right).', r.connectionName, name, id),
    ...onPlatform.map((c) => `  ${r.deploy.changeLine(c)}`),
    actions,
  ];
  const mainHeader = [
    vscode.l10n.t(
      'Conflict: live on {0} (left) ↔ {1} as Overwrite Live would send it (right). Comments and layout are not compared.',
      r.connectionName,
      name,
    ),
    ...(r.production ? [vscode.l10n.t('{0} is a production connection: this changes live milestones.', r.connectionName)] : []),
    vscode.l10n.t('Changed on the platform since last seen: {0}', onPlatform.map((c) => c.field).join(', ')),
    vscode.l10n.t('Your file sends ({0}):', mine.length),
    ...mine.map((c) => `  ${r.deploy.changeLine(c)}`),
    ...notApplied(ep, r.deploy),
    actions,
  ];
  const text = r.reviewed;
  const lastSeen = r.deploy.liveView(text, r.deploy.lastSeenGroup(verdict.live, verdict.found.record.lastSeen));
  const { live, sent } = sides(r, ep, verdict.live);
  return {
    kind: 'conflict',
    file: r.document.uri,
    reviewed: r.reviewed,
    fileName: displayName(r.document),
    label: vscode.l10n.t('Conflict of {0} on {1}', name, r.connectionName),
    tabs: [
      {
        title: vscode.l10n.t('{0}: what changed on {1} (last seen ↔ live)', label, r.connectionName),
        pair: r.deploy.reviewPair(platformHeader, lastSeen, live),
        originalName: `${label} (${id}) last seen`,
        modifiedName: `${label} (${id}) live`,
      },
      {
        title: vscode.l10n.t('Review: {0} on {1} ↔ {2}', label, r.connectionName, name),
        pair: r.deploy.reviewPair(mainHeader, live, sent),
        originalName: `${label} (${id}) live`,
        modifiedName: `${name} as sent`,
      },
    ],
  };
}

/** The live (and, for a conflict, the last seen) document of a review, as a DeployResult names them. */
export function reviewUris(
  kind: ReviewSpec['kind'],
  documents: readonly ReviewDocuments[],
): { liveUri?: vscode.Uri; lastSeenUri?: vscode.Uri } {
  if (kind === 'create') return {};
  if (kind === 'edit') return documents[0] ? { liveUri: documents[0].original } : {};
  const [platform, main] = documents;
  return { ...(main ? { liveUri: main.original } : {}), ...(platform ? { lastSeenUri: platform.original } : {}) };
}
