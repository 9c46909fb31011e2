import type * as vscode from 'vscode';
import type { StoredCustomer } from '../../../core/explorer/index';
import { CUSTOMERS_STATE_KEY } from './ids';

/** The Customer Explorer's customer list as kept per workspace; anything unusable in workspaceState is ignored. */
export function storedCustomers(state: vscode.Memento): StoredCustomer[] {
  const raw = state.get<unknown>(CUSTOMERS_STATE_KEY);
  if (!Array.isArray(raw)) return [];
  return raw.filter(
    (c): c is StoredCustomer =>
      typeof c === 'object' &&
      c !== null &&
      typeof (c as { id?: unknown }).id === 'number' &&
      Number.isSafeInteger((c as { id: number }).id),
  );
}
