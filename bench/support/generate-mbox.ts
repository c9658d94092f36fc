/**
 * Writes a deterministic mbox of realistic messages (mboxrd: body lines matching /^>*From / get one
 * more ">", RFC 4155 From_ lines, a blank line after each message, Status/X-Status flags), streaming,
 * so generating 10,000 messages needs only a few megabytes.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { asctime } from './mail-generator/encoders';
import { MessageBuilder } from './mail-generator/message-builder';
import { Random } from './mail-generator/random';

export interface GeneratedMbox {
  messages: number;
  bytes: number;
  messageIds: string[];
}

const SPAN_MS = 3 * 365 * 86_400_000;
const END_MS = Date.UTC(2025, 0, 1);

export async function generateMbox(file: string, count: number, seed = 1): Promise<GeneratedMbox> {
  const random = new Random(seed);
  const builder = new MessageBuilder(random);
  const out = createWriteStream(file);
  const messageIds: string[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const ms = END_MS - SPAN_MS + Math.floor(((i + random.next() * 0.9) / count) * SPAN_MS);
    const message = builder.build(ms);
    messageIds.push(message.messageId);
    const status = `Status: ${message.isSeen ? 'RO' : 'O'}\nX-Status: ${message.isFlagged ? 'F' : ''}\n`;
    const headerEnd = message.text.indexOf('\n\n');
    const withStatus = `${message.text.slice(0, headerEnd + 1)}${status}${message.text.slice(headerEnd + 1)}`;
    const escaped = withStatus.replace(/^(>*From )/gm, '>$1');
    const chunk = `From ${message.messageId.split('@')[0]}@example.test ${asctime(ms + 60_000)}\n${escaped.endsWith('\n') ? escaped : `${escaped}\n`}\n`;
    bytes += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return { messages: count, bytes, messageIds };
}
