/**
 * A TCP proxy on 127.0.0.1 for fault injection against the real servers: it forwards bytes both
 * ways and can cut every connection at a chosen moment (after N bytes from the server, or when
 * the server's stream contains a marker), or refuse new connections, to prove that a cut at that
 * moment loses and duplicates nothing.
 */
import net from 'node:net';

export interface CutRule {
  /** Cut once the server has sent this many bytes on one connection (counted from its start). */
  afterServerBytes?: number;
  /** Cut right after forwarding the chunk in which this marker first appears. */
  whenServerSends?: string | Buffer;
  /** Only connections number >= this (1-based) are cut; earlier ones pass untouched. */
  fromConnection?: number;
}

export interface TcpProxy {
  readonly port: number;
  /** Connections accepted so far. */
  readonly connections: number;
  setRule(rule: CutRule | null): void;
  /** Refuse (reset) new connections, like a server that went away. */
  setRefusing(refusing: boolean): void;
  /** Cut every open connection now. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let rule: CutRule | null = null;
  let refusing = false;
  let connections = 0;
  const open = new Set<net.Socket>();

  const server = net.createServer((client) => {
    connections += 1;
    const number = connections;
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target.port, target.host);
    open.add(client);
    open.add(upstream);
    let serverBytes = 0;
    const cut = (): void => {
      client.resetAndDestroy();
      upstream.destroy();
    };
    const active = (): CutRule | null => (rule && number >= (rule.fromConnection ?? 1) ? rule : null);

    client.on('data', (chunk: Buffer) => upstream.write(chunk));
    upstream.on('data', (chunk: Buffer) => {
      const current = active();
      if (current?.afterServerBytes !== undefined && serverBytes + chunk.length >= current.afterServerBytes) {
        const keep = Math.max(0, current.afterServerBytes - serverBytes);
        serverBytes += keep;
        client.write(chunk.subarray(0, keep), cut);
        upstream.pause();
        return;
      }
      serverBytes += chunk.length;
      if (current?.whenServerSends !== undefined && chunk.includes(current.whenServerSends)) {
        client.write(chunk, cut);
        upstream.pause();
        return;
      }
      client.write(chunk);
    });
    const forget = (): void => {
      open.delete(client);
      open.delete(upstream);
    };
    client.on('close', () => {
      upstream.destroy();
      forget();
    });
    upstream.on('close', () => {
      client.destroy();
      forget();
    });
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no TCP address');

  return {
    port: address.port,
    get connections() {
      return connections;
    },
    setRule: (next) => {
      rule = next;
    },
    setRefusing: (next) => {
      refusing = next;
    },
    cutAll: () => {
      for (const socket of open) socket.destroy();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
