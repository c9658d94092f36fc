// Putting mail into the test servers: bulk seeding straight into a Maildir, a hand-made RFC 5322
// message builder for exact known messages, and delivery of exact bytes over LMTP.
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MailServers } from './mail-servers';

const SEED_SCRIPT = fileURLToPath(new URL('../../scripts/mailserver/seed.mjs', import.meta.url));
/** Owner of the Maildirs (the `mail` user in the Dovecot userdb written by start.sh). */
const MAIL_OWNER = 'mail:mail';
const EXTRA_FOLDERS = ['Archive', 'Work', 'Work/Reports', 'Sent'];
const SEED_TIMEOUT_MS = 120_000;
const CHOWN_TIMEOUT_MS = 60_000;
const SEED_MAX_OUTPUT_BYTES = 1024 * 1024;
const LMTP_TIMEOUT_MS = 30_000;
/** RFC 2047: an encoded-word is at most 75 characters; 45 bytes make 60 base64 characters. */
const ENCODED_WORD_MAX_BYTES = 45;
const BASE64_LINE_LENGTH = 76;
/** RFC 5322 line limit without CRLF; longer text lines force base64. */
const MAX_LINE_LENGTH = 998;
const LMTP_ENVELOPE_SENDER_LOCAL_PART = 'lmtp-inject';

export interface SeedOptions {
  /** Also fill Archive (20% of count), Work/Reports (5%) and Sent (10%). Default false. */
  extraFolders?: boolean;
  /** PRNG seed: the same seed and count give the same messages. Default 1. */
  seed?: number;
  /** Scales attachment sizes. Default 1. */
  attachScale?: number;
  /** Wipe the user's mail first (no client may be connected). Default false. */
  reset?: boolean;
}

function run(file: string, args: string[], timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { timeout: timeoutMs, maxBuffer: SEED_MAX_OUTPUT_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${file} ${args.join(' ')}: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/**
 * Writes `count` realistic messages into the user's INBOX (multipart/alternative, attachments,
 * RFC 2047 headers, threads, dates over three years) as Maildir files, then lets Dovecot index
 * them so UIDs ascend with the date. Works whether Dovecot is running or stopped.
 */
export async function seedMailbox(
  servers: MailServers,
  user: string,
  count: number,
  options: SeedOptions = {},
): Promise<void> {
  const name = user.toLowerCase();
  const home = join(servers.stateDir, 'mail', name);
  const extra = options.extraFolders ?? false;
  if (options.reset) {
    await servers.doveadm(['kick', name]).catch(() => ''); // fails when Dovecot is down; nothing to kick then
    await rm(home, { recursive: true, force: true });
  }
  // Dovecot creates the Maildir and its own metadata first, so the result is consistent.
  await servers.doveadm(['mailbox', 'status', '-u', name, 'messages', 'INBOX']);
  if (extra) {
    for (const mailbox of EXTRA_FOLDERS) {
      await servers
        .doveadm(['mailbox', 'create', '-s', '-u', name, mailbox])
        .catch(() => servers.doveadm(['mailbox', 'subscribe', '-u', name, mailbox])); // exists already
    }
  }
  await run(
    process.execPath,
    [
      SEED_SCRIPT,
      ...['--maildir', join(home, 'Maildir'), '--user', name, '--domain', servers.domain],
      ...['--count', String(count), '--seed', String(options.seed ?? 1), '--extra', extra ? '1' : '0'],
      ...['--attach-scale', String(options.attachScale ?? 1)],
    ],
    SEED_TIMEOUT_MS,
  );
  // seed.mjs runs as root; Dovecot accesses the Maildir as the mail user.
  await run('chown', ['-R', MAIL_OWNER, home], CHOWN_TIMEOUT_MS);
  // The sync assigns UIDs, builds the index and the vsizes (read from the W= in the file names).
  await servers.doveadm(['mailbox', 'status', '-u', name, 'messages vsize', '*']);
}

export interface TestAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface TestMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  messageId?: string;
  date?: Date;
  attachments?: TestAttachment[];
}

/** True when every UTF-16 unit is ASCII (a loop, not a regex: eslint's no-control-regex). */
function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** RFC 2047 B encoded-words, split on character boundaries, folded onto continuation lines. */
function encodeWords(text: string): string {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char) > ENCODED_WORD_MAX_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`).join('\r\n ');
}

const headerText = (text: string): string => (isAscii(text) ? text : encodeWords(text));

/** 'Name <addr>' with a non-ASCII display name gets the name encoded; bare addresses stay. */
function headerAddress(value: string): string {
  if (isAscii(value)) return value;
  const match = /^\s*(.*?)\s*<([^<>]+)>\s*$/.exec(value);
  const name = match?.[1];
  const address = match?.[2];
  if (name === undefined || address === undefined || !isAscii(address)) {
    throw new Error(`buildTestMessage: cannot encode address ${JSON.stringify(value)}`);
  }
  return `${encodeWords(name)} <${address}>`;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number): string => String(n).padStart(2, '0');

/** RFC 5322 date in UTC ('+0000', not the obsolete 'GMT' that Date#toUTCString writes). */
function rfc5322Date(date: Date): string {
  const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}:${pad2(date.getUTCSeconds())}`;
  return `${DAYS[date.getUTCDay()]}, ${pad2(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${time} +0000`;
}

function base64Lines(content: Buffer): string {
  const encoded = content.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < encoded.length; i += BASE64_LINE_LENGTH)
    lines.push(encoded.slice(i, i + BASE64_LINE_LENGTH));
  return lines.join('\r\n') + '\r\n';
}

/** A MIME parameter: quoted ASCII, or RFC 2231 percent-encoded UTF-8 for anything else. */
function mimeParam(key: string, value: string): string {
  if (isAscii(value)) return `${key}="${value.replace(/[\\"]/g, '\\$&')}"`;
  const encoded = encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `${key}*=UTF-8''${encoded}`;
}

/** Headers and body of the text part; 7bit when possible, else base64 (exact and simple). */
function textEntity(text: string): string {
  const crlf = text.replace(/\r?\n/g, '\r\n').replace(/(\r\n)?$/, '\r\n');
  const sevenBit = isAscii(crlf) && crlf.split('\r\n').every((line) => line.length <= MAX_LINE_LENGTH);
  return sevenBit
    ? `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n${crlf}`
    : `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${base64Lines(Buffer.from(crlf, 'utf8'))}`;
}

function attachmentEntity(attachment: TestAttachment): string {
  return (
    `Content-Type: ${attachment.contentType}; ${mimeParam('name', attachment.filename)}\r\n` +
    `Content-Disposition: attachment; ${mimeParam('filename', attachment.filename)}\r\n` +
    `Content-Transfer-Encoding: base64\r\n\r\n${base64Lines(attachment.content)}`
  );
}

/**
 * Builds a small RFC 5322 message by hand, byte for byte predictable: CRLF line ends, RFC 2047
 * subject and display names when non-ASCII, base64 attachments in multipart/mixed.
 */
export function buildTestMessage(message: TestMessage): Buffer {
  const fromDomain = /@([^>\s]+)/.exec(message.from)?.[1] ?? 'example.test';
  const headers = [
    `From: ${headerAddress(message.from)}`,
    `To: ${headerAddress(message.to)}`,
    `Subject: ${headerText(message.subject)}`,
    `Date: ${rfc5322Date(message.date ?? new Date())}`,
    `Message-ID: ${message.messageId ?? `<${randomUUID()}@${fromDomain}>`}`,
    'MIME-Version: 1.0',
  ];
  const attachments = message.attachments ?? [];
  if (attachments.length === 0)
    return Buffer.from(`${headers.join('\r\n')}\r\n${textEntity(message.text)}`, 'utf8');

  const boundary = `=_estafeta_${randomUUID()}`;
  const parts = [textEntity(message.text), ...attachments.map(attachmentEntity)];
  const body = parts.map((part) => `--${boundary}\r\n${part}`).join('') + `--${boundary}--\r\n`;
  headers.push(`Content-Type: multipart/mixed; boundary="${boundary}"`);
  return Buffer.from(`${headers.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** Reads SMTP/LMTP replies (possibly multi-line: '250-...' then '250 ...') from a socket. */
function replyReader(socket: ReturnType<typeof connect>): () => Promise<string> {
  let buffered = '';
  const replies: string[] = [];
  const waiters: ((reply: string) => void)[] = [];
  let current: string[] = [];
  socket.setEncoding('latin1');
  socket.on('data', (data: string) => {
    buffered += data;
    let end: number;
    while ((end = buffered.indexOf('\r\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      current.push(line);
      if (/^\d{3}(?: |$)/.test(line)) {
        replies.push(current.join('\n'));
        current = [];
      }
    }
    while (waiters.length > 0 && replies.length > 0) waiters.shift()?.(replies.shift() ?? '');
  });
  return () =>
    new Promise((resolve) => {
      const reply = replies.shift();
      if (reply !== undefined) resolve(reply);
      else waiters.push(resolve);
    });
}

/** Dot-stuffing (RFC 5321 4.5.2) after every line end, and a final CRLF before the '.'. */
function dotStuff(raw: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let start = 0;
  if (raw[0] === 0x2e) chunks.push(Buffer.from('.'));
  for (let i = raw.indexOf(0x0a); i !== -1; i = raw.indexOf(0x0a, i + 1)) {
    if (raw[i + 1] === 0x2e) {
      chunks.push(raw.subarray(start, i + 1), Buffer.from('.'));
      start = i + 1;
    }
  }
  chunks.push(raw.subarray(start));
  if (!raw.subarray(-2).equals(Buffer.from('\r\n'))) chunks.push(Buffer.from('\r\n'));
  chunks.push(Buffer.from('.\r\n'));
  return Buffer.concat(chunks);
}

/**
 * Delivers `raw` to `user`'s INBOX over Dovecot's LMTP port, byte for byte (no line-end or header
 * rewriting). Dovecot always prepends one `Return-Path: <lmtp-inject@DOMAIN>` line; start.sh
 * turns off its Received and Delivered-To headers, so the stored message is that line + `raw`.
 * `raw` should use CRLF line ends and end with CRLF (as buildTestMessage does): Maildir stores LF
 * and IMAP serves CRLF, and SMTP's end of data adds a CRLF when it is missing.
 */
export async function deliverViaLmtp(servers: MailServers, user: string, raw: Buffer): Promise<void> {
  const socket = connect({ host: servers.host, port: servers.ports.lmtp });
  const timer = setTimeout(
    () => socket.destroy(new Error(`LMTP delivery timed out after ${LMTP_TIMEOUT_MS} ms`)),
    LMTP_TIMEOUT_MS,
  );
  const failed = new Promise<never>((_, reject) => socket.once('error', reject));
  const nextReply = replyReader(socket);
  const expect = async (code: string, command?: string | Buffer): Promise<void> => {
    if (command !== undefined) socket.write(typeof command === 'string' ? `${command}\r\n` : command);
    const reply = await Promise.race([nextReply(), failed]);
    if (!reply.startsWith(code)) {
      const sent = typeof command === 'string' ? command : command ? '<message data>' : '<greeting>';
      throw new Error(`LMTP ${sent}: expected ${code}, got ${reply}`);
    }
  };
  try {
    await expect('220');
    await expect('250', 'LHLO estafeta.test');
    await expect('250', `MAIL FROM:<${LMTP_ENVELOPE_SENDER_LOCAL_PART}@${servers.domain}>`);
    await expect('250', `RCPT TO:<${servers.address(user.toLowerCase())}>`);
    await expect('354', 'DATA');
    await expect('250', dotStuff(raw)); // LMTP: one reply per accepted recipient, here one
    await expect('221', 'QUIT');
  } finally {
    clearTimeout(timer);
    socket.destroy();
  }
}
