// A scripted SMTP server on 127.0.0.1 for the failures Postfix will not produce on demand: no
// greeting, a 421 greeting, no STARTTLS, silence or a refusal after the message. It records every
// command line it receives, so a test can prove what was (not) sent.
import { createServer, type Socket } from 'node:net';

export interface FakeSmtpBehaviour {
  /** The greeting line; null sends none (a server that accepts TCP and then says nothing). */
  greeting?: string | null;
  /** EHLO reply keywords after the first line. */
  extensions?: string[];
  /** The reply to the final "."; null leaves the client waiting forever. */
  afterData?: string | null;
}

export interface FakeSmtpServer {
  readonly port: number;
  /** Every command line received, in order (message content excluded). */
  readonly commands: string[];
  /** Bytes of message content received after a 354, over all connections. */
  readonly contentBytes: number;
  close(): Promise<void>;
}

const END_OF_DATA = '\r\n.\r\n';

function replyTo(line: string, behaviour: FakeSmtpBehaviour): string {
  const verb = line.split(' ', 1)[0]?.toUpperCase() ?? '';
  switch (verb) {
    case 'EHLO': {
      const lines = ['fake.example.test', ...(behaviour.extensions ?? [])];
      return lines.map((text, i) => `250${i === lines.length - 1 ? ' ' : '-'}${text}`).join('\r\n');
    }
    case 'HELO':
    case 'MAIL':
    case 'RCPT':
    case 'RSET':
    case 'NOOP':
      return '250 2.0.0 Ok';
    case 'AUTH':
      return '235 2.7.0 Authentication successful';
    case 'DATA':
      return '354 End data with <CR><LF>.<CR><LF>';
    case 'QUIT':
      return '221 2.0.0 Bye';
    default:
      return '502 5.5.2 Error: command not recognized';
  }
}

export async function startFakeSmtpServer(behaviour: FakeSmtpBehaviour = {}): Promise<FakeSmtpServer> {
  const commands: string[] = [];
  let contentBytes = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    const greeting = behaviour.greeting === undefined ? '220 fake.example.test ESMTP' : behaviour.greeting;
    if (greeting !== null) socket.write(`${greeting}\r\n`);
    socket.on('data', (chunk: Buffer) => {
      if (inData) contentBytes += chunk.length;
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf(END_OF_DATA);
          if (end < 0) return;
          buffer = buffer.slice(end + END_OF_DATA.length);
          inData = false;
          if (behaviour.afterData === null) continue;
          socket.write(`${behaviour.afterData ?? '250 2.0.0 Ok: queued as FAKE1'}\r\n`);
          continue;
        }
        const newline = buffer.indexOf('\r\n');
        if (newline < 0) return;
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 2);
        commands.push(line);
        const reply = replyTo(line, behaviour);
        socket.write(`${reply}\r\n`);
        if (reply.startsWith('354')) {
          inData = true;
          // DATA content may start right after the command; treat the buffer as content.
          buffer = `\r\n${buffer}`;
        }
        if (reply.startsWith('221')) socket.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake SMTP server has no TCP address');
  return {
    port: address.port,
    commands,
    get contentBytes() {
      return contentBytes;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
