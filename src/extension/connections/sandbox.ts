import * as vscode from 'vscode';
import { loadSandbox } from '../lazy';
import { SANDBOX_ID } from './model';
import type { Connections } from './service';

export interface RunningSandbox {
  url: string;
  connectionId: string;
  customerIds: number[];
}

/**
 * The embedded default: the sandbox runs inside the extension host on a free loopback port and
 * becomes the active "Local sandbox" connection (demo credentials in memory only, never in
 * settings). It stops when the extension is disposed.
 */
export class LocalSandbox implements vscode.Disposable {
  private running: Promise<{ info: RunningSandbox; stop: () => Promise<void> | void; registration: vscode.Disposable }> | undefined;

  constructor(
    private readonly connections: Connections,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /** Starts the sandbox once (later calls return the running one) and makes it the active connection. */
  async start(): Promise<RunningSandbox> {
    if (!this.running) {
      this.running = this.launch();
      this.running.catch(() => {
        this.running = undefined;
      });
    }
    const { info } = await this.running;
    await this.connections.setActive(info.connectionId);
    return info;
  }

  private async launch(): Promise<{ info: RunningSandbox; stop: () => Promise<void> | void; registration: vscode.Disposable }> {
    const { startSandbox } = await loadSandbox();
    const sandbox = await startSandbox({ host: '127.0.0.1', port: 0 });
    this.log.info(`[sandbox] listening on ${sandbox.url} (demo customers: ${sandbox.demo.customerIds.join(', ')})`);
    const registration = this.connections.addSession(
      {
        id: SANDBOX_ID,
        name: vscode.l10n.t('Local sandbox'),
        baseUrl: sandbox.url,
        authType: 'basic',
        username: sandbox.credentials.username,
        origin: 'sandbox',
      },
      sandbox.credentials.password,
    );
    return {
      info: { url: sandbox.url, connectionId: SANDBOX_ID, customerIds: [...sandbox.demo.customerIds] },
      stop: () => sandbox.stop(),
      registration,
    };
  }

  /** Stops the sandbox; resolves when its port is closed. */
  async stop(): Promise<void> {
    const running = this.running;
    this.running = undefined;
    if (!running) return;
    try {
      const { stop, registration } = await running;
      registration.dispose();
      await stop();
      this.log.info('[sandbox] stopped');
    } catch {
      // It never started; nothing to stop.
    }
  }

  dispose(): void {
    void this.stop();
  }
}
