/**
 * Damage that mailparser reads past without a word: text it could not decode (an unknown or wrong
 * charset leaves U+FFFD behind) and a multipart body that ends before its closing delimiter
 * (RFC 2046 §5.1.1), which usually means the message was cut off. The reader shows these as notes.
 */
import { readHeaderBlock } from './header-reader';
import { parseStructuredValue } from './mime-params';

const REPLACEMENT_CHARACTER = '\uFFFD';

export function hasUndecodableText(...texts: readonly string[]): boolean {
  return texts.some((text) => text.includes(REPLACEMENT_CHARACTER));
}

/** True when the top-level multipart boundary is declared but its close-delimiter never comes. */
export function isMultipartUnclosed(raw: Buffer): boolean {
  const block = readHeaderBlock(raw);
  const type = parseStructuredValue(block.get('content-type'));
  const boundary = type.params.get('boundary');
  if (!type.value.startsWith('multipart/') || boundary === undefined || boundary === '') return false;
  const body = raw.subarray(block.bodyOffset);
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  // Without any delimiter the structure is broken in a way parse.ts already reports.
  if (body.indexOf(delimiter) === -1) return false;
  return body.indexOf(Buffer.from(`--${boundary}--`, 'latin1')) === -1;
}
