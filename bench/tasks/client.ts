/**
 * The API client against the sandbox on loopback (the sandbox in another process):
 * - per-request overhead of CapillaryClient over a bare undici `request` to the same endpoint,
 *   both on their own keep-alive Agent with the same settings, sending the same request (headers
 *   included) and parsing the JSON answer, interleaved in small blocks;
 * - walking 10,000 tracked events with `trackedEvents` (the events are counted, not kept):
 *   time, and heap at 1k, 5k and 10k events.
 */
import { resolve } from 'node:path';
import { Agent, request } from 'undici';
import { basicAuthorization, CapillaryClient } from '../../src/core/api/client';
import { childMain, startService } from '../lib/child';
import { median } from '../lib/stats';

interface SandboxInfo {
  url: string;
  credentials: { username: string; password: string };
  demo: { customerIds: number[]; targetRuleIds: number[]; behaviouralEventRequestIds: string[] };
}

export interface ClientArgs {
  requests: number;
  walkEvents: number;
  walkRepeats: number;
}

export interface WalkCheckpoint {
  events: number;
  /** heapUsed after a forced GC at this point: what the walk holds on to. */
  retainedHeap: number;
  /** Highest heapUsed sampled after each page since the previous checkpoint. */
  peakHeap: number;
}

export interface ClientResult {
  endpoint: string;
  requests: number;
  clientMedianMs: number;
  bareMedianMs: number;
  walk:
    | { ok: true; events: number; pages: number; pageSize: number; timesMs: number[]; medianMs: number; checkpoints: WalkCheckpoint[] }
    | { ok: false; reason: string };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function timeRequests(fn: () => Promise<unknown>, count: number, into: number[]): Promise<void> {
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn();
    into.push(performance.now() - t0);
  }
}

async function overhead(info: SandboxInfo, requests: number): Promise<Omit<ClientResult, 'walk'>> {
  const requestId = info.demo.behaviouralEventRequestIds[0];
  if (!requestId) throw new Error('The sandbox has no demo behavioural event to request.');
  const { username, password } = info.credentials;
  const client = new CapillaryClient({ baseUrl: info.url, auth: { kind: 'basic', username, password } });
  // The client's Agent settings (src/core/api/transport.ts), so both sides reuse connections alike.
  const agent = new Agent({ connect: { timeout: 10_000 }, keepAliveTimeout: 4_000, keepAliveMaxTimeout: 30_000 });
  const url = `${info.url}/v2/events/event_data?id=${encodeURIComponent(requestId)}`;
  // The request the client sends, byte for byte on the wire (src/core/api/transport.ts): the same
  // headers, so the sandbox does the same work for both and the difference is the client's own.
  const headers = {
    accept: 'application/json',
    'content-type': 'application/json',
    'user-agent': 'milestone-studio/0.1.0',
    authorization: basicAuthorization(username, password),
  };
  const bare = async (): Promise<unknown> => {
    const res = await request(url, { method: 'GET', headers, dispatcher: agent });
    return res.body.json();
  };
  const ours = () => client.getEventData(requestId);
  try {
    // Warm-up: connections open, JIT warm, on both sides.
    await timeRequests(bare, 30, []);
    await timeRequests(ours, 30, []);
    const bareTimes: number[] = [];
    const clientTimes: number[] = [];
    const block = 10;
    for (let done = 0; done < requests; done += block) {
      await timeRequests(bare, block, bareTimes);
      await timeRequests(ours, block, clientTimes);
    }
    return {
      endpoint: 'GET /v2/events/event_data?id=…',
      requests: clientTimes.length,
      clientMedianMs: median(clientTimes),
      bareMedianMs: median(bareTimes),
    };
  } finally {
    await client.close();
    await agent.close();
  }
}

async function walk(info: SandboxInfo, args: ClientArgs): Promise<ClientResult['walk']> {
  const { username, password } = info.credentials;
  const client = new CapillaryClient({ baseUrl: info.url, auth: { kind: 'basic', username, password } });
  const userId = info.demo.customerIds[0];
  const ruleId = info.demo.targetRuleIds[0];
  if (userId === undefined || ruleId === undefined) return { ok: false, reason: 'the sandbox has no demo customer enrolled in a target' };
  const pageSize = 50;
  const marks = [1_000, 5_000, 10_000].filter((m) => m <= args.walkEvents);
  try {
    // Timed walks: nothing but counting.
    const timesMs: number[] = [];
    let events = 0;
    for (let r = 0; r < args.walkRepeats; r++) {
      events = 0;
      const t0 = performance.now();
      for await (const _event of client.trackedEvents(userId, ruleId, { limit: pageSize })) {
        if (++events >= args.walkEvents) break;
      }
      timesMs.push(performance.now() - t0);
    }
    if (events < args.walkEvents)
      return {
        ok: false,
        reason: `the sandbox returned ${events} events for customer ${userId}, target ${ruleId}, not ${args.walkEvents}`,
      };
    // Memory walk: heap sampled after every page's worth of events, GC forced at the checkpoints.
    gc();
    const checkpoints: WalkCheckpoint[] = [
      { events: 0, retainedHeap: process.memoryUsage().heapUsed, peakHeap: process.memoryUsage().heapUsed },
    ];
    let peak = 0;
    let seen = 0;
    for await (const _event of client.trackedEvents(userId, ruleId, { limit: pageSize })) {
      seen++;
      if (seen % pageSize === 0) peak = Math.max(peak, process.memoryUsage().heapUsed);
      if (seen === marks[0]) {
        marks.shift();
        gc();
        checkpoints.push({ events: seen, retainedHeap: process.memoryUsage().heapUsed, peakHeap: peak });
        peak = 0;
        if (marks.length === 0) break;
      }
    }
    return { ok: true, events, pages: Math.ceil(events / pageSize), pageSize, timesMs, medianMs: median(timesMs), checkpoints };
  } finally {
    await client.close();
  }
}

childMain(async (args: ClientArgs & { sandboxBundle: string }): Promise<ClientResult> => {
  const sandbox = await startService<SandboxInfo>(resolve(args.sandboxBundle), { eventsPerCustomer: args.walkEvents }, 30_000);
  try {
    const result = await overhead(sandbox.info, args.requests);
    let walked: ClientResult['walk'];
    try {
      walked = await walk(sandbox.info, args);
    } catch (e) {
      walked = { ok: false, reason: e instanceof Error ? e.message : String(e) };
    }
    return { ...result, walk: walked };
  } finally {
    await sandbox.stop();
  }
});
