import type { StudioContext } from './context';
import type { Connections } from './connections/service';
import type { LocalSandbox } from './connections/sandbox';
import type { DefinitionCache } from './authoring/definitions';
import type { ReadOnlyDocuments } from './deploy/readOnly';

/** StudioContext plus the services that only the authoring, deploy and connection commands use. */
export interface AppContext extends StudioContext {
  readonly connections: Connections;
  readonly sandbox: LocalSandbox;
  readonly definitions: DefinitionCache;
  readonly readOnly: ReadOnlyDocuments;
}
