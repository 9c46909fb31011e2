import * as vscode from 'vscode';
import { deployDocument, type DeployOptions, type DeployResult } from '../deploy/deploy';
import { deploymentsChanged } from '../views/freshness';
import type { CommandFactory } from './register';

/** A deploy that changed the platform or the file's record: the views read again. */
export function reportDeployed(result: DeployResult): DeployResult {
  if (result.status === 'created' || result.status === 'edited' || result.status === 'tookLive' || result.status === 'unchanged')
    deploymentsChanged();
  return result;
}

/** "Deploy": `(uri?, { yes? })`; returns a DeployResult. */
export const deploy: CommandFactory =
  (ctx) =>
  async (uri?: unknown, options?: unknown): Promise<DeployResult> =>
    reportDeployed(await deployDocument(ctx, uri instanceof vscode.Uri ? uri : undefined, isDeployOptions(options) ? options : {}));

function isDeployOptions(value: unknown): value is DeployOptions {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value);
}
