/**
 * Whether a message has attachments, guessed from its top-level header fields alone: what an IMAP
 * client knows before the body is here, without asking the server for BODYSTRUCTURE (which makes
 * the server read and parse every message in full just to list it). multipart/mixed is the
 * container mail carries attachments in (RFC 2046 §5.1.3); a single-part message is an attachment
 * by the rule the full parse uses (mime-outline.ts). The guess errs toward the paperclip (a
 * multipart/mixed of two text parts, a mailing-list footer); the parse of the body replaces it
 * (search/background-indexer.ts).
 */
import type { HeaderBlock } from './header-reader';
import { parseStructuredValue } from './mime-params';
import { isShownInline } from './mime-outline';

export function guessHasAttachments(headers: HeaderBlock): boolean {
  const type = parseStructuredValue(headers.get('content-type')).value || 'text/plain'; // RFC 2045 §5.2
  if (type.startsWith('multipart/')) return type === 'multipart/mixed';
  return !isShownInline(type, parseStructuredValue(headers.get('content-disposition')).value);
}
