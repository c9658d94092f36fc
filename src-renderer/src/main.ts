/**
 * The renderer's entry: picks the UI language, picks the transport (Electron's preload bridge when
 * present, else browser mode's WebSocket with the token from the link), builds the state graph and
 * mounts the app.
 */
import './app.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { ApiClient } from './lib/api/client';
import { takeToken } from './lib/api/browser-token';
import type { ConnectionStatusSource, Transport } from './lib/api/transport';
import { IpcTransport } from './lib/api/transport-ipc';
import { apiUrl, WebSocketTransport } from './lib/api/transport-ws';
import { Workspace } from './lib/state/workspace.svelte';
import { bindComposer } from './lib/state/composer.svelte';
import { resolveLanguage } from './i18n';
import { applyLanguage, savedLanguagePreference } from './lib/state/preferences.svelte';

// The language chosen in Settings, else the OS's; Settings can change it while running.
applyLanguage(resolveLanguage(savedLanguagePreference(windowStorage()), navigator.language));

function windowStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

function connect(): { transport: Transport; connection: ConnectionStatusSource | null } | null {
  if (window.estafeta) return { transport: new IpcTransport(window.estafeta), connection: null };
  const token = takeToken({ location, history, storage: sessionStorage });
  if (token === null) return null;
  const socket = new WebSocketTransport({ url: apiUrl(location.host), token });
  socket.connect();
  return { transport: socket, connection: socket };
}

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

const connection = connect();
const api = connection ? new ApiClient(connection.transport) : null;
const workspace = connection && api ? new Workspace(api, connection.connection) : null;
// The composer (issue 6) shares the client; openComposer works from here on.
if (api) bindComposer(api);
mount(App, { target, props: { workspace } });
void workspace?.start();
