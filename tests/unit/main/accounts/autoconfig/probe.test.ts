import { afterEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createServer, type Server, type Socket } from 'node:net';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { promisify } from 'node:util';
import { createProbe, MAX_GREETING_BYTES } from '../../../../../src-main/accounts/autoconfig/probe';
import { makeTempDir } from '../../../../support/temp-dir';

const servers: Server[] = [];
const sockets = new Set<Socket>();

/** A TCP server on 127.0.0.1 that writes `greeting` (or nothing) and records what clients send. */
async function greetingServer(greeting: string | null, received: Buffer[] = []): Promise<number> {
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    if (greeting !== null) socket.write(greeting);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  await Promise.all(
    servers.splice(0).map((server) => new Promise<void>((resolve) => server.close(() => resolve()))),
  );
});

describe('probing a guessed server', () => {
  it('reads the first line of the greeting and sends nothing', async () => {
    const received: Buffer[] = [];
    const port = await greetingServer('* OK [CAPABILITY IMAP4rev1 STARTTLS] ready\r\n* more\r\n', received);
    const result = await createProbe()('127.0.0.1', port, 'starttls');
    expect(result).toEqual({ ok: true, greeting: '* OK [CAPABILITY IMAP4rev1 STARTTLS] ready' });
    expect(Buffer.concat(received).length).toBe(0);
  });

  it('reports a refused connection', async () => {
    const port = await greetingServer(null);
    await new Promise<void>((resolve) => servers.pop()?.close(() => resolve()));
    const result = await createProbe()('127.0.0.1', port, 'none');
    expect(result.ok).toBe(false);
  });

  it('gives up on a silent server after its timeout, and when aborted', async () => {
    const port = await greetingServer(null);
    expect(await createProbe({ timeoutMs: 100 })('127.0.0.1', port, 'starttls')).toEqual({
      ok: false,
      reason: 'timed out',
    });
    const controller = new AbortController();
    const pending = createProbe({ timeoutMs: 60_000 })('127.0.0.1', port, 'starttls', controller.signal);
    controller.abort();
    expect(await pending).toEqual({ ok: false, reason: 'cancelled' });
  });

  it('stops reading an endless greeting at the cap', async () => {
    const port = await greetingServer('x'.repeat(MAX_GREETING_BYTES * 4));
    const result = await createProbe()('127.0.0.1', port, 'none');
    expect(result.ok && result.greeting.length).toBe(MAX_GREETING_BYTES);
  });

  it('counts a TLS handshake that fails (here: a server that is not TLS) as failure', async () => {
    const port = await greetingServer('* OK plain text where TLS was expected\r\n');
    const result = await createProbe({ timeoutMs: 2_000 })('127.0.0.1', port, 'tls');
    expect(result.ok).toBe(false);
  });
});

describe('probing with implicit TLS', () => {
  it('verifies the certificate before reading the greeting', async () => {
    const dir = await makeTempDir('estafeta-probe-');
    try {
      const key = join(dir.path, 'key.pem');
      const cert = join(dir.path, 'cert.pem');
      // A self-signed certificate for 127.0.0.1, made with the openssl the mail-server tests need.
      await promisify(execFile)('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        key,
        '-out',
        cert,
      ]);
      const certPem = await readFile(cert, 'utf8');
      const server = createTlsServer({ key: await readFile(key), cert: certPem }, (socket) => {
        socket.on('error', () => undefined);
        socket.write('+OK POP3 ready\r\n');
      });
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');

      const trusted = await createProbe({ extraCaPem: certPem })('127.0.0.1', address.port, 'tls');
      expect(trusted).toEqual({ ok: true, greeting: '+OK POP3 ready' });
      const untrusted = await createProbe()('127.0.0.1', address.port, 'tls');
      expect(untrusted.ok).toBe(false);
      expect(!untrusted.ok && untrusted.reason).toMatch(/self.signed/i);
    } finally {
      await dir.remove();
    }
  });
});
