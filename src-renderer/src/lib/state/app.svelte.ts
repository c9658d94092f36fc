import type { ApiClient } from '../api/client';
import type { ConnectionState, ConnectionStatusSource } from '../api/transport';

export type AppMode = 'electron' | 'browser';

/** Which shell the UI runs in (it decides how files are picked) and whether main is reachable. */
export class AppState {
  readonly #api: ApiClient;
  #mode = $state<AppMode | null>(null);
  #version = $state('');
  #connection = $state<ConnectionState>('connected');

  constructor(api: ApiClient, connection: ConnectionStatusSource | null) {
    this.#api = api;
    if (connection) {
      this.#connection = connection.connectionState;
      connection.onConnectionChange((state) => {
        this.#connection = state;
      });
    }
  }

  get mode(): AppMode | null {
    return this.#mode;
  }

  get version(): string {
    return this.#version;
  }

  get connection(): ConnectionState {
    return this.#connection;
  }

  async load(): Promise<void> {
    const info = await this.#api.call('app.info', {});
    this.#mode = info.mode;
    this.#version = info.version;
  }
}
