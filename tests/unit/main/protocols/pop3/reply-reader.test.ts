import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_LINE_BYTES,
  Pop3ProtocolError,
  ReplyReader,
  type StatusReply,
} from '../../../../../src-main/protocols/pop3/reply-reader';

const bytes = (text: string): Buffer => Buffer.from(text, 'latin1');

/** Feeds `chunks` and reads one status line then one multi-line body, as the client does for RETR. */
function readRetr(chunks: Buffer[]): { status: StatusReply | null; body: Buffer | null } {
  const reader = new ReplyReader();
  let status: StatusReply | null = null;
  let body: Buffer | null = null;
  for (const chunk of chunks) {
    reader.push(chunk);
    status ??= reader.takeStatus();
    if (status !== null && body === null) body = reader.takeMultiLine();
  }
  return { status, body };
}

function splitAt(data: Buffer, points: number[]): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  for (const point of points) {
    out.push(data.subarray(from, point));
    from = point;
  }
  out.push(data.subarray(from));
  return out;
}

function expectViolation(action: () => unknown, violation: Pop3ProtocolError['violation']): void {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(Pop3ProtocolError);
    expect((error as Pop3ProtocolError).violation).toBe(violation);
    return;
  }
  throw new Error(`expected a ${violation} violation`);
}

describe('ReplyReader single-line replies', () => {
  it('reads +OK, -ERR and SASL continuations with their text', () => {
    const reader = new ReplyReader();
    reader.push(bytes('+OK POP3 ready <1.2@host>\r\n-ERR [IN-USE] locked\r\n+ \r\n+ dGVzdA==\r\n+OK\r\n'));
    expect(reader.takeStatus()).toEqual({ kind: 'ok', text: 'POP3 ready <1.2@host>' });
    expect(reader.takeStatus()).toEqual({ kind: 'err', text: '[IN-USE] locked' });
    expect(reader.takeStatus()).toEqual({ kind: 'continuation', text: '' });
    expect(reader.takeStatus()).toEqual({ kind: 'continuation', text: 'dGVzdA==' });
    expect(reader.takeStatus()).toEqual({ kind: 'ok', text: '' });
    expect(reader.takeStatus()).toBeNull();
    expect(reader.bufferedBytes).toBe(0);
  });

  it('returns null until the line is complete, whatever byte the chunks split at', () => {
    const line = bytes('-ERR no such message\r\n');
    for (let split = 1; split < line.length; split++) {
      const reader = new ReplyReader();
      reader.push(line.subarray(0, split));
      expect(reader.takeStatus()).toBeNull();
      reader.push(line.subarray(split));
      expect(reader.takeStatus()).toEqual({ kind: 'err', text: 'no such message' });
    }
  });

  it('accepts a bare LF line ending and lower-case indicators from broken servers', () => {
    const reader = new ReplyReader();
    reader.push(bytes('+ok fine\n-err nope\n'));
    expect(reader.takeStatus()).toEqual({ kind: 'ok', text: 'fine' });
    expect(reader.takeStatus()).toEqual({ kind: 'err', text: 'nope' });
  });

  it('rejects a line that is neither +OK, -ERR nor a continuation', () => {
    const reader = new ReplyReader();
    reader.push(bytes('HTTP/1.1 400 Bad Request\r\n'));
    expectViolation(() => reader.takeStatus(), 'malformed-reply');
  });

  it('gives up on a status line longer than the limit, with or without its LF yet', () => {
    const endless = new ReplyReader({ maxLineBytes: 100 });
    endless.push(Buffer.alloc(101, 0x41));
    expectViolation(() => endless.takeStatus(), 'line-too-long');

    const long = new ReplyReader({ maxLineBytes: 100 });
    long.push(bytes(`+OK ${'x'.repeat(200)}\r\n`));
    expectViolation(() => long.takeStatus(), 'line-too-long');

    const fits = new ReplyReader({ maxLineBytes: 100 });
    fits.push(bytes(`+OK ${'x'.repeat(94)}\r\n`)); // exactly 100 bytes with CRLF
    expect(fits.takeStatus()?.kind).toBe('ok');
  });

  it('assembles a near-limit line pushed one byte at a time without rescanning (stays fast)', () => {
    const reader = new ReplyReader();
    const line = bytes(`+OK ${'y'.repeat(DEFAULT_MAX_LINE_BYTES - 10)}\r\n`);
    const started = performance.now();
    let early = 0;
    for (let i = 0; i < line.length - 1; i++) {
      reader.push(line.subarray(i, i + 1));
      if (reader.takeStatus() !== null) early += 1;
    }
    expect(early).toBe(0);
    reader.push(line.subarray(line.length - 1));
    expect(reader.takeStatus()?.text.length).toBe(DEFAULT_MAX_LINE_BYTES - 10);
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

describe('ReplyReader multi-line replies (RFC 1939 §3)', () => {
  const wire = bytes('+OK 42 octets\r\nSubject: dots\r\n\r\n..foo\r\n..\r\nbar.\r\n...\r\n.\r\n');
  const content = bytes('Subject: dots\r\n\r\n.foo\r\n.\r\nbar.\r\n..\r\n');

  it('removes the stuffing dot: "..foo" is ".foo", ".." alone is a "." line, and the final CRLF stays', () => {
    const { status, body } = readRetr([wire]);
    expect(status).toEqual({ kind: 'ok', text: '42 octets' });
    expect(body?.equals(content)).toBe(true);
  });

  it('gives the same message for every split point of the response into two chunks', () => {
    for (let split = 1; split < wire.length; split++) {
      const { body } = readRetr(splitAt(wire, [split]));
      expect(body?.toString('latin1'), `split at ${split}`).toBe(content.toString('latin1'));
    }
  });

  it('gives the same message for every pair of split points (three chunks) and for one-byte chunks', () => {
    for (let first = 1; first < wire.length - 1; first++) {
      for (let second = first + 1; second < wire.length; second++) {
        const { body } = readRetr(splitAt(wire, [first, second]));
        expect(body?.equals(content), `split at ${first},${second}`).toBe(true);
      }
    }
    const single = [...wire].map((byte) => Buffer.from([byte]));
    expect(readRetr(single).body?.equals(content)).toBe(true);
  });

  it('returns null before the terminator, including when only part of it has arrived', () => {
    const reader = new ReplyReader();
    reader.push(bytes('+OK\r\nline\r'));
    expect(reader.takeStatus()?.kind).toBe('ok');
    expect(reader.takeMultiLine()).toBeNull(); // CR at the end of a chunk
    reader.push(bytes('\n.'));
    expect(reader.takeMultiLine()).toBeNull(); // the dot could begin ".\r\n" or a stuffed line
    reader.push(bytes('\r'));
    expect(reader.takeMultiLine()).toBeNull();
    reader.push(bytes('\n'));
    expect(reader.takeMultiLine()?.toString('latin1')).toBe('line\r\n');
  });

  it('keeps every 8-bit byte, NUL and lone CR exactly as sent', () => {
    const all = Buffer.alloc(256);
    for (let i = 0; i < 256; i++) all[i] = i; // contains NUL, a lone LF (0x0a), CR (0x0d) and 0x80-0xFF
    const message = Buffer.concat([bytes('X-Bin: '), all, bytes('\r\n\xff\xfe\x00\r\n')]);
    for (const split of [0, 7, 17, 20, 100, message.length - 1]) {
      const { body } = readRetr(
        splitAt(Buffer.concat([bytes('+OK\r\n'), message, bytes('.\r\n')]), [split + 5]),
      );
      expect(body?.equals(message), `split ${split}`).toBe(true);
    }
  });

  it('unstuffs a dot that follows a lone LF inside the content (0x0a then 0x2e)', () => {
    const { body } = readRetr([bytes('+OK\r\nab\n..c\r\n.\r\n')]);
    expect(body?.toString('latin1')).toBe('ab\n.c\r\n');
  });

  it('recognises the terminator of a server that uses bare LF, keeping its LF line ends', () => {
    expect(readRetr([bytes('+OK\nfirst\n..second\n.\n')]).body?.toString('latin1')).toBe('first\n.second\n');
    expect(readRetr([bytes('+OK\r\nmixed\r\n.\n')]).body?.toString('latin1')).toBe('mixed\r\n');
  });

  it('treats ".<CR>" followed by anything but LF as a stuffed line, even across chunks', () => {
    const wireCr = bytes('+OK\r\n.\rX\r\n.\r\n');
    for (let split = 5; split < wireCr.length; split++) {
      expect(readRetr(splitAt(wireCr, [split])).body?.toString('latin1'), `split ${split}`).toBe('\rX\r\n');
    }
  });

  it('reads an empty body', () => {
    expect(readRetr([bytes('+OK\r\n.\r\n')]).body?.length).toBe(0);
  });

  it('leaves the bytes after a terminator for the next reply (pipelined replies in one chunk)', () => {
    const reader = new ReplyReader();
    reader.push(bytes('+OK\r\nA\r\n.\r\n+OK\r\n..B\r\n.\r\n-ERR no such message\r\n+OK'));
    expect(reader.takeStatus()?.kind).toBe('ok');
    expect(reader.takeMultiLine()?.toString('latin1')).toBe('A\r\n');
    expect(reader.takeStatus()?.kind).toBe('ok');
    expect(reader.takeMultiLine()?.toString('latin1')).toBe('.B\r\n');
    expect(reader.takeStatus()).toEqual({ kind: 'err', text: 'no such message' });
    expect(reader.takeStatus()).toBeNull();
    expect(reader.bufferedBytes).toBe(3);
  });

  it('returns a copy: later changes to the received chunk do not alter the message', () => {
    const chunk = bytes('+OK\r\nhello\r\n.\r\n');
    const reader = new ReplyReader();
    reader.push(chunk);
    reader.takeStatus();
    const body = reader.takeMultiLine();
    chunk.fill(0x21);
    expect(body?.toString('latin1')).toBe('hello\r\n');
  });

  it('fails once a body passes the size limit, without waiting for the terminator', () => {
    const reader = new ReplyReader({ maxMultiLineBytes: 10 });
    reader.push(bytes('+OK\r\n'));
    reader.takeStatus();
    reader.push(bytes('0123456789'));
    expect(reader.takeMultiLine()).toBeNull(); // exactly at the limit is fine
    reader.push(bytes('A'));
    expectViolation(() => reader.takeMultiLine(), 'reply-too-large');
  });

  it('reads a 5 MB message in socket-sized chunks quickly', () => {
    const line = bytes(`${'z'.repeat(76)}\r\n.${'d'.repeat(20)}\r\n`);
    const message = Buffer.concat(Array.from({ length: 50_000 }, () => line));
    const wireBig = Buffer.concat([bytes('+OK\r\n'), stuff(message), bytes('.\r\n')]);
    const chunks: Buffer[] = [];
    for (let at = 0; at < wireBig.length; at += 1_460) chunks.push(wireBig.subarray(at, at + 1_460));
    const started = performance.now();
    const { body } = readRetr(chunks);
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(body?.equals(message)).toBe(true);
  });

  it('reads a backlog of 200 000 one-byte chunks pushed before anyone asked, in linear time', () => {
    const message = Buffer.alloc(200_000, 0x61);
    for (let at = 98; at < message.length; at += 100) message[at] = 0x0d;
    for (let at = 99; at < message.length; at += 100) message[at] = 0x0a;
    const wireBacklog = Buffer.concat([bytes('+OK\r\n'), message, bytes('.\r\n+OK next\r\n')]);
    const reader = new ReplyReader();
    const started = performance.now();
    for (let i = 0; i < wireBacklog.length; i++) reader.push(wireBacklog.subarray(i, i + 1));
    expect(reader.takeStatus()?.kind).toBe('ok');
    expect(reader.takeMultiLine()?.equals(message)).toBe(true);
    expect(reader.takeStatus()).toEqual({ kind: 'ok', text: 'next' });
    expect(performance.now() - started).toBeLessThan(3_000);
  });
});

/** Reference stuffing, written independently of the reader: a "." starting a line gets another. */
function stuff(content: Buffer): Buffer {
  return Buffer.from(content.toString('latin1').replace(/(^|\n)\./g, '$1..'), 'latin1');
}
