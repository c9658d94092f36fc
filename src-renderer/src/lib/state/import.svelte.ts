/**
 * Importing .eml and mbox files into a local folder, and its progress. In Electron main shows the
 * native dialog and reads the files (`import.chooseFiles`); in browser mode the page streams the
 * picked files (lib/import/chunked-import.ts). Either way progress arrives as `import.progress`.
 */
import type { ApiClient } from '../api/client';
import type { EventPayload, ImportResult } from '../api/contract-types';
import { importInChunks, type ImportSource } from '../import/chunked-import';
import { errorText } from './error-text';

export type ImportProgress = EventPayload<'import.progress'>;

/** What the last import run did, summed over its files, for the status bar. */
export interface ImportSummary {
  readonly imported: number;
  readonly damaged: number;
  readonly failed: number;
  /** Per-file failures and the importer's first problems, in words. */
  readonly problems: readonly string[];
}

export interface FileFailure {
  /** Null when the failure was not about one file (e.g. the dialog could not open). */
  readonly fileName: string | null;
  readonly reason: string;
}

export class ImportState {
  readonly #api: ApiClient;
  #isRunning = $state(false);
  #progress = $state.raw<ImportProgress | null>(null);
  #summary = $state.raw<ImportSummary | null>(null);
  #failures = $state.raw<readonly FileFailure[]>([]);
  /** The imports this page started or asked for; progress of others (another window) is not ours. */
  #isWatching = false;

  constructor(api: ApiClient) {
    this.#api = api;
    api.on('import.progress', (progress) => {
      if (!this.#isWatching) return;
      this.#progress = progress.state === 'running' ? progress : null;
    });
  }

  get isRunning(): boolean {
    return this.#isRunning;
  }

  /** The file being imported now, while one is. */
  get progress(): ImportProgress | null {
    return this.#progress;
  }

  get summary(): ImportSummary | null {
    return this.#summary;
  }

  get failures(): readonly FileFailure[] {
    return this.#failures;
  }

  dismiss(): void {
    this.#summary = null;
    this.#failures = [];
  }

  /** Browser mode: streams each picked file, one after the other. */
  async importFiles(folderId: number, files: readonly ImportSource[]): Promise<void> {
    if (files.length === 0) return;
    await this.#run(async () => {
      const results: ImportResult[] = [];
      const failures: FileFailure[] = [];
      for (const file of files) {
        this.#progress = {
          importId: '',
          fileName: file.name,
          messages: 0,
          bytes: 0,
          totalBytes: file.size,
          state: 'running',
        };
        try {
          results.push(await importInChunks(this.#api, folderId, file));
        } catch (error) {
          failures.push({ fileName: file.name, reason: errorText(error) });
        }
      }
      return { results, failures };
    });
  }

  /** Electron: main asks for the files with its own dialog and imports them. */
  async chooseAndImport(folderId: number): Promise<void> {
    await this.#run(async () => {
      try {
        return { results: await this.#api.call('import.chooseFiles', { folderId }), failures: [] };
      } catch (error) {
        return { results: [], failures: [{ fileName: null, reason: errorText(error) }] };
      }
    });
  }

  async #run(work: () => Promise<{ results: ImportResult[]; failures: FileFailure[] }>): Promise<void> {
    if (this.#isRunning) return;
    this.#isRunning = true;
    this.#isWatching = true;
    this.dismiss();
    try {
      const { results, failures } = await work();
      this.#failures = failures;
      this.#summary = results.length > 0 ? summarize(results) : null;
    } finally {
      this.#isRunning = false;
      this.#isWatching = false;
      this.#progress = null;
    }
  }
}

function summarize(results: readonly ImportResult[]): ImportSummary {
  return {
    imported: results.reduce((sum, result) => sum + result.imported, 0),
    damaged: results.reduce((sum, result) => sum + result.damaged, 0),
    failed: results.reduce((sum, result) => sum + result.failed, 0),
    problems: results.flatMap((result) => result.errors),
  };
}
