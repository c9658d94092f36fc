// Real Dovecot + Postfix for integration tests, started from scripts/mailserver/*.sh on free ports,
// with all state in a short temp dir. The scripts need root (they may apt-get install the servers,
// and the servers drop privileges to the users the Debian packages create).
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts } from './free-port';
import { makeTempDir } from './temp-dir';

export interface MailServerPorts {
  imap: number;
  imaps: number;
  pop3: number;
  pop3s: number;
  submission: number;
  submissions: number;
  smtp: number;
  lmtp: number;
}

export interface MailServers {
  host: '127.0.0.1';
  domain: string;
  stateDir: string;
  ports: MailServerPorts;
  /** The self-signed certificate; pass it as `ca` so clients verify TLS instead of disabling it. */
  caPem: string;
  /** The password of the preset users alice, bob, carol and sink. */
  password: string;
  /** 'alice' -> 'alice@example.test' */
  address(user: string): string;
  addUser(user: string, password?: string): Promise<void>;
  /** Stop/start one server alone, for "server down" tests; state and ports are kept. */
  stopDovecot(): Promise<void>;
  startDovecot(): Promise<void>;
  stopPostfix(): Promise<void>;
  startPostfix(): Promise<void>;
  /** Runs doveadm against this instance and returns its stdout. */
  doveadm(args: string[]): Promise<string>;
  /** Stops both servers by PID and removes the temp dir. Safe to call twice. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const DOMAIN = 'example.test';
const PASSWORD = 'secret';
const SCRIPTS_DIR = fileURLToPath(new URL('../../scripts/mailserver/', import.meta.url));
// Short on purpose: Dovecot's and Postfix's unix sockets live below it (sun_path is 108 bytes).
const STATE_DIR_PREFIX = '/tmp/estafeta-mh-';
const DOVEADM = '/usr/bin/doveadm';
const SERVER_BINARIES = ['/usr/sbin/dovecot', '/usr/lib/dovecot/imap', '/usr/sbin/postfix'];

const START_TIMEOUT_MS = 60_000;
/** start.sh runs apt-get when the servers are missing (a fresh CI machine). */
const INSTALL_TIMEOUT_MS = 600_000;
const STOP_TIMEOUT_MS = 30_000;
const ADDUSER_TIMEOUT_MS = 20_000;
const POSTFIX_RELOAD_TIMEOUT_MS = 10_000;
const DOVECOT_SEES_USER_TIMEOUT_MS = 10_000;
const DOVEADM_TIMEOUT_MS = 120_000;
const DOVEADM_MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
const PORT_CLOSE_TIMEOUT_MS = 15_000;
const PORT_PROBE_TIMEOUT_MS = 1_000;
const POLL_INTERVAL_MS = 100;
/** One retry with new ports: another process may grab a free port before the servers bind it. */
const START_ATTEMPTS = 2;
const LOG_TAIL_LINES = 25;
const SCRIPT_LOG = 'fixture.log';
const SERVER_LOGS = [SCRIPT_LOG, 'log/startup.log', 'log/dovecot.log', 'log/postfix.log'];
const PORT_IN_USE = /Address already in use/;

type Service = 'dovecot' | 'postfix';

const PORT_ENV: Record<keyof MailServerPorts, string> = {
  imap: 'MH_IMAP_PORT',
  imaps: 'MH_IMAPS_PORT',
  pop3: 'MH_POP3_PORT',
  pop3s: 'MH_POP3S_PORT',
  submission: 'MH_SUBMISSION_PORT',
  submissions: 'MH_SUBMISSIONS_PORT',
  smtp: 'MH_SMTP_PORT',
  lmtp: 'MH_LMTP_PORT',
};

class ScriptError extends Error {}

/** State dirs of running instances, stopped synchronously if the test process exits without stop(). */
const liveStateDirs = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const stateDir of liveStateDirs) {
      spawnSync('bash', [join(SCRIPTS_DIR, 'stop.sh'), stateDir], {
        stdio: 'ignore',
        timeout: STOP_TIMEOUT_MS,
      });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function tailOf(file: string): Promise<string> {
  try {
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    return lines.slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return '(missing)';
  }
}

/** The last lines of every log in the state dir, for error messages. */
async function logTails(stateDir: string): Promise<string> {
  const parts = await Promise.all(
    SERVER_LOGS.map(async (name) => `--- ${name}\n${await tailOf(join(stateDir, name))}`),
  );
  return parts.join('\n');
}

/**
 * Runs one of scripts/mailserver/*.sh with output appended to STATE_DIR/fixture.log: the servers
 * must never inherit vitest's stdio, or the runner would wait for their EOF. Throws with the logs'
 * tail on a non-zero exit or when the time limit is hit (the script's process group is killed).
 */
async function runScript(
  stateDir: string,
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs: number,
): Promise<void> {
  const log = await open(join(stateDir, SCRIPT_LOG), 'a');
  try {
    const child = spawn('bash', [join(SCRIPTS_DIR, script), ...args], {
      stdio: ['ignore', log.fd, log.fd],
      env: { ...process.env, ...env },
      detached: true, // its own process group, so a timeout can kill the script and its helpers
    });
    const outcome = await new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        resolve(`timed out after ${timeoutMs} ms`);
      }, timeoutMs);
      child.once('error', (error) => {
        clearTimeout(timer);
        resolve(error.message);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve(code === 0 ? null : `exit ${code ?? signal}`);
      });
    });
    if (outcome !== null) {
      throw new ScriptError(`${script} ${args.join(' ')}: ${outcome}\n${await logTails(stateDir)}`);
    }
  } finally {
    await log.close();
  }
}

function portEnv(ports: MailServerPorts, quota: boolean, oauth2Url = ''): Record<string, string> {
  const env: Record<string, string> = {
    MH_DOMAIN: DOMAIN,
    MH_QUOTA: quota ? '1' : '0',
    MH_OAUTH2_INTROSPECTION_URL: oauth2Url,
  };
  for (const [name, variable] of Object.entries(PORT_ENV))
    env[variable] = String(ports[name as keyof MailServerPorts]);
  return env;
}

async function allocatePorts(): Promise<MailServerPorts> {
  const names = Object.keys(PORT_ENV) as (keyof MailServerPorts)[];
  const numbers = await freePorts(names.length);
  const entries = names.map((name, i) => {
    const port = numbers[i];
    if (port === undefined) throw new Error('allocatePorts: too few ports');
    return [name, port] as const;
  });
  return Object.fromEntries(entries) as Record<keyof MailServerPorts, number>;
}

/** Resolves true once connecting is refused, i.e. nothing listens on the port any more. */
function isRefused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: HOST, port, timeout: PORT_PROBE_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function waitPortsClosed(ports: number[]): Promise<void> {
  const deadline = Date.now() + PORT_CLOSE_TIMEOUT_MS;
  for (const port of ports) {
    while (!(await isRefused(port))) {
      if (Date.now() > deadline) throw new Error(`port ${port} still accepts connections after stop`);
      await sleep(POLL_INTERVAL_MS);
    }
  }
}

function countMatches(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

async function startOnce(quota: boolean, oauth2Url = ''): Promise<MailServers> {
  const dir = await makeTempDir(STATE_DIR_PREFIX);
  const stateDir = dir.path;
  const ports = await allocatePorts();
  const env = portEnv(ports, quota, oauth2Url);
  const needsInstall = SERVER_BINARIES.some((binary) => !existsSync(binary));
  try {
    await runScript(
      stateDir,
      'start.sh',
      [stateDir],
      env,
      needsInstall ? INSTALL_TIMEOUT_MS : START_TIMEOUT_MS,
    );
  } catch (error) {
    // start.sh stops a half-started instance itself; this covers a killed (timed out) script.
    await runScript(stateDir, 'stop.sh', [stateDir], env, STOP_TIMEOUT_MS).catch(() => undefined);
    await dir.remove();
    throw error;
  }
  liveStateDirs.add(stateDir);
  installExitHook();

  const caPem = await readFile(join(stateDir, 'tls/cert.pem'), 'utf8');
  const conf = join(stateDir, 'etc/dovecot.conf');
  const postfixLog = join(stateDir, 'log/postfix.log');
  const running: Record<Service, boolean> = { dovecot: true, postfix: true };
  const servicePorts: Record<Service, number[]> = {
    dovecot: [ports.imap, ports.imaps, ports.pop3, ports.pop3s, ports.lmtp],
    postfix: [ports.submission, ports.submissions, ports.smtp],
  };
  let stopped = false;

  const stopService = async (service: Service): Promise<void> => {
    await runScript(stateDir, 'stop.sh', [stateDir, service], env, STOP_TIMEOUT_MS);
    running[service] = false;
    await waitPortsClosed(servicePorts[service]);
  };
  const startService = async (service: Service): Promise<void> => {
    await runScript(stateDir, 'start.sh', [stateDir, service], env, START_TIMEOUT_MS);
    running[service] = true;
  };
  const doveadm = (args: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        DOVEADM,
        ['-c', conf, ...args],
        { timeout: DOVEADM_TIMEOUT_MS, maxBuffer: DOVEADM_MAX_OUTPUT_BYTES, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`doveadm ${args.join(' ')}: ${error.message}\n${stderr}`));
          else resolve(stdout);
        },
      );
    });
  const waitUntil = async (
    timeoutMs: number,
    failure: string,
    condition: () => Promise<boolean>,
  ): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline)
        throw new Error(`${failure} within ${timeoutMs} ms\n${await logTails(stateDir)}`);
      await sleep(POLL_INTERVAL_MS);
    }
  };
  const postfixReloads = async (): Promise<number> =>
    countMatches(await readFile(postfixLog, 'utf8').catch(() => ''), /master\[\d+\]: reload/);

  return {
    host: HOST,
    domain: DOMAIN,
    stateDir,
    ports,
    caPem,
    password: PASSWORD,
    address: (user) => `${user}@${DOMAIN}`,
    async addUser(user, password = PASSWORD) {
      const reloadsBefore = await postfixReloads();
      await runScript(stateDir, 'adduser.sh', [stateDir, user, password], env, ADDUSER_TIMEOUT_MS);
      if (running.dovecot) {
        // Dovecot re-reads the passwd-file when it changes, but not always on the very next lookup
        // (seen: LMTP refused a user added a moment earlier), so wait until it accepts the login.
        await waitUntil(DOVECOT_SEES_USER_TIMEOUT_MS, `dovecot does not accept ${user}'s password`, () =>
          doveadm(['auth', 'test', user, password]).then(
            () => true,
            () => false,
          ),
        );
      }
      if (running.postfix) {
        // adduser.sh reloads Postfix so smtpd sees the new recipient; the reload is asynchronous.
        await waitUntil(POSTFIX_RELOAD_TIMEOUT_MS, `postfix did not reload after adding ${user}`, () =>
          postfixReloads().then((reloads) => reloads > reloadsBefore),
        );
      }
    },
    stopDovecot: () => stopService('dovecot'),
    startDovecot: () => startService('dovecot'),
    stopPostfix: () => stopService('postfix'),
    startPostfix: () => startService('postfix'),
    doveadm,
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await runScript(stateDir, 'stop.sh', [stateDir], env, STOP_TIMEOUT_MS);
      } finally {
        liveStateDirs.delete(stateDir);
        await dir.remove();
      }
    },
  };
}

/**
 * Starts Dovecot (IMAP, POP3, LMTP) and Postfix (submission, submissions, no-auth "MX" port) on
 * free loopback ports, with users alice, bob, carol and sink (password `secret`). `quota: true`
 * advertises the IMAP QUOTA capability (10 GB limit); it is off by default.
 */
export async function startMailServers(
  options: {
    quota?: boolean;
    /** Also accept OAuth2 bearer tokens (XOAUTH2/OAUTHBEARER), checked at this RFC 7662 endpoint. */
    oauth2IntrospectionUrl?: string;
  } = {},
): Promise<MailServers> {
  if (process.getuid?.() !== 0) {
    throw new Error('startMailServers: needs root (the servers drop privileges to the mail/postfix users)');
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options.quota ?? false, options.oauth2IntrospectionUrl ?? '');
    } catch (error) {
      const retry =
        attempt < START_ATTEMPTS && error instanceof ScriptError && PORT_IN_USE.test(error.message);
      if (!retry) throw error;
    }
  }
}
