import { readFile } from 'node:fs/promises';
import { ERROR_KIND, type ErrorKind } from '../errors';
import { basename, dirname, join } from 'node:path';
import { RecordStore, valueInEnvironment } from '../environments';
import { parseRuleTestFile, testFileFor, type RuleTestCase } from './model';
import { definitionForTests } from './run';
import { CONFIG_FILE } from '../environments/constants';
import type { ValuesEnvironment } from '../environments/values';
import type { EventDataCache } from './eventDataCache';
import { simulate, type SimulationClient, type SimulationReport } from './simulate';

/** The rule-test samples beside a definition (its cases) and the test file's timezone; none when there is no test file. */
export async function samplesBeside(definitionPath: string): Promise<{ cases: RuleTestCase[]; timezone?: string; file?: string }> {
  const file = join(dirname(definitionPath), testFileFor(basename(definitionPath)));
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return { cases: [] };
  }
  const parsed = parseRuleTestFile(text).file;
  return {
    cases: parsed?.cases.filter((c) => typeof c === 'object' && c !== null) ?? [],
    ...(parsed?.timezone !== undefined ? { timezone: parsed.timezone } : {}),
    file,
  };
}

/** The text given to simulate is not a definition (it does not parse, or is not an object). */
/** A text given as a definition that is none (a usage problem: the user named the wrong file or buffer). */
export class NotADefinitionError extends Error {
  readonly [ERROR_KIND]: ErrorKind = 'usage';
  constructor(message: string) {
    super(message);
    this.name = 'NotADefinitionError';
  }
}

export interface DraftSimulation {
  /** The draft's text (an unsaved editor buffer, or the file read from disk). */
  text: string;
  /** The definition file's path on disk: its rule-test samples and its deployment record are read from there. Undefined for an unsaved draft. */
  path?: string;
  /** A name for messages when there is no path. */
  fileName: string;
  /** The folder that holds the records when no marker is found above the file (the extension's workspace folder). */
  recordRoot?: string | undefined;
  client: SimulationClient;
  customerId: number;
  /** The environment the client reads: its name and base URL. */
  environment: { name: string; baseUrl: string };
  /** The environment's values (milestones.config.json): the draft's `${name}` references resolve to them; a draft with references needs them. */
  values?: ValuesEnvironment | undefined;
  /** Overrides the test file's timezone. */
  timezone?: string;
  signal?: AbortSignal;
  /** After each tracked event read with its data (progress while the event data is read). */
  onEventRead?: (eventsRead: number) => void;
  /** Event data an earlier simulation on the same environment read (the extension keeps one per connection). */
  eventDataCache?: EventDataCache;
}

/**
 * Simulates a draft definition on one customer of one environment, as `milestones simulate`
 * and the extension's *Simulate…* do: the samples beside the file for transaction targets,
 * and the environment's own ids for the draft (from the file's deployment record there; another
 * environment's ids are never used). A text that is no definition is a NotADefinitionError; a
 * corrupt record a RecordError.
 */
export async function simulateDraft(input: DraftSimulation): Promise<SimulationReport> {
  const name = input.path ? basename(input.path) : input.fileName;
  const { definition, error, unresolved } = definitionForTests(input.text, name, input.values);
  if (!definition) throw new NotADefinitionError(error ?? `${input.fileName} is not a definition.`);
  if (unresolved)
    throw new NotADefinitionError(
      `${name} refers to ${unresolved.map((n) => '${' + n + '}').join(', ')}, but ${input.environment.name} is no environment of ${CONFIG_FILE} with values: name it (--env NAME, or Tie Connection to Environment… in the editor) to resolve the references.`,
    );
  const samples = input.path ? await samplesBeside(input.path) : { cases: [] as RuleTestCase[] };
  let value = definition as Record<string, unknown>;
  let note: string | undefined;
  if (input.path) {
    const store = await RecordStore.forFile(input.path, input.recordRoot);
    const inEnv = await valueInEnvironment(store, input.path, value, input.environment.baseUrl);
    value = inEnv.value;
    note = inEnv.note;
  }
  const timezone = input.timezone ?? samples.timezone;
  return simulate(input.client, value, {
    customerId: input.customerId,
    samples: samples.cases,
    environment: { ...input.environment, ...(note ? { note } : {}) },
    ...(timezone !== undefined ? { timezone } : {}),
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.onEventRead ? { onEventRead: input.onEventRead } : {}),
    ...(input.eventDataCache ? { eventDataCache: input.eventDataCache } : {}),
  });
}
