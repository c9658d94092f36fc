import { createServer } from 'node:net';
import type { Server } from 'node:net';

const LOOPBACK = '127.0.0.1';

/** Asks the kernel for a free TCP port on 127.0.0.1 (bind to port 0, read it, close). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  if (port === undefined) throw new Error('freePort: no port allocated');
  return port;
}

/**
 * Returns `count` distinct free ports on 127.0.0.1. Every listener stays open until all ports are
 * known, so the kernel cannot hand out the same port twice. A port can still be taken by another
 * process between this call and its use: callers that start servers should retry with new ports.
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, LOOPBACK, () => resolve());
      });
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('freePorts: not a TCP address');
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(
      servers.map(
        (server) =>
          new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
      ),
    );
  }
}
