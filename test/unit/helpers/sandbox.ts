/** Shared by the api, deploy, cli and plan tests: a client of a sandbox, a definition text, the sandbox's CLI environment. */
import { basicAuthorization, CapillaryClient, type ClientOptions } from '../../../src/core/api/client';
import type { SandboxHandle } from '../../../src/core/sandbox';

export function basicClient(sb: SandboxHandle, options: ClientOptions = {}): CapillaryClient {
  return new CapillaryClient(
    { baseUrl: sb.url, auth: { kind: 'basic', username: sb.credentials.username, password: sb.credentials.password } },
    { retryBaseDelayMs: 10, ...options },
  );
}

/** A client's customer-data reads as plain functions, so a test can wrap one (count the SKUs asked, the requests in flight). */
export function customerDataOf(client: CapillaryClient) {
  return {
    customerTransactions: client.customerTransactions.bind(client),
    getTransaction: client.getTransaction.bind(client),
    getCustomer: client.getCustomer.bind(client),
    getProducts: client.getProducts.bind(client),
    searchEvaluationLog: client.searchEvaluationLog.bind(client),
  };
}

/** The client's customer-data calls, with every SKU asked of the product catalogue recorded in `asked`. */
export function countingProducts(client: CapillaryClient): { counting: ReturnType<typeof customerDataOf>; asked: string[] } {
  const asked: string[] = [];
  const counting = {
    ...customerDataOf(client),
    getProducts: (skus: readonly string[], signal?: AbortSignal) => {
      asked.push(...skus);
      return client.getProducts(skus, signal);
    },
  };
  return { counting, asked };
}

export function oauthClient(sb: SandboxHandle, options: ClientOptions = {}): CapillaryClient {
  return new CapillaryClient(
    { baseUrl: sb.url, auth: { kind: 'oauth', clientKey: sb.credentials.oauthKey, clientSecret: sb.credentials.oauthSecret } },
    { retryBaseDelayMs: 10, ...options },
  );
}

/** A create-mode definition (JSONC with comments), two periods in 2027 and one behavioural target. */
export function definitionText(name: string, opts: { expressionJson?: boolean } = {}): string {
  const json =
    opts.expressionJson === false
      ? ''
      : `\n      "expressionJson": "{\\"arity\\":\\"literal\\",\\"value\\":\\"true\\",\\"type\\":\\"boolean:primitive\\"}",`;
  return `{
  // Milestone for the round-trip test: keep this comment.
  "$schema": "../schemas/target-group.schema.json",
  "name": "${name}",
  "description": "first description",
  "active": true,
  "preferredTillId": 75155297,
  "trackingType": "DEFAULT",
  "targetEvaluationType": "FIXED_CALENDAR_WINDOW",
  "frequency": 1,
  "recurringCycles": 1,
  "totalPeriods": 2,
  "fromDate": "2027-01-01",
  "toDate": "2027-02-28",
  "periods": [
    /* January */
    { "active": true, "description": "p1", "refCode": "Cycle_1", "periodStatus": "NOT_STARTED", "startDate": "2027-01-01", "endDate": "2027-01-31" },
    { "active": true, "description": "p2", "refCode": "Cycle_2", "periodStatus": "NOT_STARTED", "startDate": "2027-02-01", "endDate": "2027-02-28" }
  ],
  "targets": [
    {
      "name": "round_trip_target",
      "description": "target description",
      "targetEntity": "EVENT",
      "targetType": "COUNT",
      "eventName": "TestingEvent_FE",
      "enrolmentMethod": "TRANSACTION",
      "active": true,
      "expression": "true",${json}
      "filters": [],
      "defaultValues": [{ "defaultValue": 2 }, { "defaultValue": 3 }]
    }
  ]
}
`;
}

export function sandboxEnv(sb: SandboxHandle, kind: 'basic' | 'oauth' = 'basic'): Record<string, string> {
  return kind === 'basic'
    ? { MILESTONES_BASE_URL: sb.url, MILESTONES_USERNAME: sb.credentials.username, MILESTONES_PASSWORD: sb.credentials.password }
    : { MILESTONES_BASE_URL: sb.url, MILESTONES_OAUTH_KEY: sb.credentials.oauthKey, MILESTONES_OAUTH_SECRET: sb.credentials.oauthSecret };
}

/** How many target groups the sandbox holds, read without the client under test. */
export async function groupCount(sb: SandboxHandle): Promise<number> {
  const r = await fetch(`${sb.url}/v3/targetGroups`, {
    headers: { authorization: basicAuthorization(sb.credentials.username, sb.credentials.password) },
  });
  return ((await r.json()) as { data: unknown[] }).data.length;
}
