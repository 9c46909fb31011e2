import * as vscode from 'vscode';
import { deployDocument, type DeployOptions, type DeployResult } from '../deploy/deploy';
import type { CommandFactory } from './register';

/** "Deploy": `(uri?, { yes? })`; returns a DeployResult. */
export const deploy: CommandFactory = (ctx) => (uri?: unknown, options?: unknown): Promise<DeployResult> =>
  deployDocument(ctx, uri instanceof vscode.Uri ? uri : undefined, isDeployOptions(options) ? options : {});

function isDeployOptions(value: unknown): value is DeployOptions {
  return typeof value === 'object' && value !== null && !(value instanceof vscode.Uri) && !Array.isArray(value);
}
