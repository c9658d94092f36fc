/** The composer's body as text: signatures per identity, and plain text turned into formatted text. */

/** The signature block a body ends with for `signature` (RFC 3676 §4.3 "-- " separator). */
export function signatureBlock(signature: string): string {
  return signature.trim() === '' ? '' : `\n\n-- \n${signature.replace(/\r\n?/g, '\n').trimEnd()}\n`;
}

/** Swaps the old identity's signature for the new one's, when the old one is still in the text. */
export function swapSignature(text: string, before: string, after: string): string {
  const old = signatureBlock(before);
  const next = signatureBlock(after);
  if (old !== '' && text.includes(old)) return text.replace(old, next);
  if (old === '' && next !== '' && !text.includes(next)) return `${text.replace(/\n+$/, '')}${next}`;
  return text;
}

/** Plain text as simple HTML paragraphs, for switching to formatted text. */
export function textToHtml(text: string): string {
  const escape = (s: string): string =>
    s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return text
    .split('\n')
    .map((line) => `<div>${line === '' ? '<br>' : escape(line)}</div>`)
    .join('');
}
