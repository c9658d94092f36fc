/**
 * One decision for every URL that makes a viewer fetch something (img src, background, CSS url()):
 * remote ones are a privacy leak (read receipts by image, RFC 2369 aside) and load only when the user
 * allowed remote content; cid: ones (RFC 2392) point at the message's own parts; data: is allowed
 * for images only; everything else (javascript:, file:, relative paths with no base) is dropped.
 */
export interface ResourcePolicy {
  allowRemote: boolean;
  /** Content-ID (without brackets) -> URL the viewer can load. */
  cidUrls: ReadonlyMap<string, string>;
}

export type ResourceDecision = { kind: 'keep'; url: string } | { kind: 'blocked-remote' } | { kind: 'drop' };

const SAFE_DATA_IMAGE = /^data:image\/(png|gif|jpe?g|webp|bmp|avif|x-icon)[;,]/i;
/** WHATWG URL parsing removes tab and newline anywhere and trims C0 controls and space. */
const IGNORED_URL_CHARS = /[\u0000-\u0020\u007f]/g;

export function isRemoteUrl(url: string): boolean {
  const compact = url.replace(IGNORED_URL_CHARS, '');
  return /^https?:/i.test(compact) || compact.startsWith('//') || compact.startsWith('\\\\');
}

export function decideResourceUrl(url: string, policy: ResourcePolicy): ResourceDecision {
  const compact = url.replace(IGNORED_URL_CHARS, '');
  if (isRemoteUrl(compact)) {
    if (!policy.allowRemote) return { kind: 'blocked-remote' };
    if (compact.startsWith('\\\\')) return { kind: 'drop' };
    return { kind: 'keep', url: compact.startsWith('//') ? `https:${compact}` : compact };
  }
  if (/^cid:/i.test(compact)) {
    const id = safeDecode(compact.slice(4)).replace(/^<|>$/g, '');
    const target = policy.cidUrls.get(id);
    return target === undefined ? { kind: 'drop' } : { kind: 'keep', url: target };
  }
  if (SAFE_DATA_IMAGE.test(compact) && !/^data:image\/svg/i.test(compact))
    return { kind: 'keep', url: compact };
  return { kind: 'drop' };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
