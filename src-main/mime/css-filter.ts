/**
 * Mail CSS, cleaned: no @import, no expression()/behavior/-moz-binding (old IE and Firefox ran code
 * from CSS), no resource functions we cannot check (image-set() takes bare strings), and url() only
 * as resource-url.ts allows. Works on a style attribute's declarations and on a <style> sheet.
 * It only removes or replaces; it never has to understand a selector.
 */
import { decideResourceUrl } from './resource-url';
import type { ResourcePolicy } from './resource-url';

export interface CssPolicy extends ResourcePolicy {
  /** Called once per remote resource that was blocked. */
  onBlockedRemote(): void;
}

const DANGEROUS_VALUE = /expression\(|javascript:|vbscript:|-moz-binding|behaviou?r\s*:/i;
const DANGEROUS_PROPERTY = /^(behaviou?r|-moz-binding|-ms-behavior)$/i;
/** Functions that fetch by bare string, which url() checks would miss. */
const UNCHECKABLE_FETCH = /(image-set|image|cross-fade|element|src|paint)\s*\(/i;
/** Something in a value that looks like a remote address. */
const REMOTE_HINT = /https?:|\/\//i;
const URL_FUNCTION = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"]*?))\s*\)/gi;
const PROPERTY_NAME = /^-?[a-z][a-z0-9-]*$/i;
/** At-rules whose block holds rules rather than declarations. */
const NESTING_AT_RULES = /^@(media|supports|container|layer|document|-moz-document)\b/i;

/** CSS escapes ("\75 rl(" is "url(") decoded, so checks see what the browser sees (CSS Syntax §4.3.7). */
function decodeEscapes(text: string): string {
  return text.replace(
    /\\([0-9a-f]{1,6})\s?|\\([^\n0-9a-f])/gi,
    (_m, hex: string | undefined, ch: string | undefined) =>
      hex ? String.fromCodePoint(Math.min(parseInt(hex, 16), 0x10ffff) || 0xfffd) : (ch ?? ''),
  );
}

function stripComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(\*\/|$)/g, ' ');
}

/** Index of the first of `stops` at paren depth 0 and outside strings, from `start`; -1 if none. */
function findTopLevel(text: string, start: number, stops: string): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') i++;
    else if (ch === '"' || ch === "'") {
      i++;
      while (i < text.length && text[i] !== ch) i += text[i] === '\\' ? 2 : 1;
    } else if (ch === '(') depth++;
    else if (ch === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0 && stops.includes(ch)) return i;
  }
  return -1;
}

/** Index just after the "}" matching the "{" at `open` (or the end). */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const at = findTopLevel(text, i, '{}');
    if (at === -1) return text.length;
    depth += text[at] === '{' ? 1 : -1;
    if (depth === 0) return at + 1;
    i = at;
  }
  return text.length;
}

/** One declaration's value with its url()s checked; null when the declaration must go. */
function cleanValue(value: string, policy: CssPolicy): string | null {
  const decoded = decodeEscapes(value);
  if (DANGEROUS_VALUE.test(decoded)) return null;
  if (UNCHECKABLE_FETCH.test(decoded)) {
    if (REMOTE_HINT.test(decoded)) policy.onBlockedRemote();
    return null;
  }
  if (!/url\(/i.test(decoded)) return value;
  // An escaped url() cannot be rewritten safely; a real sender has no reason to write one.
  if (value.includes('\\')) {
    if (REMOTE_HINT.test(decoded)) policy.onBlockedRemote();
    return null;
  }
  let dropped = false;
  const rewritten = value.replace(URL_FUNCTION, (whole, dq?: string, sq?: string, bare?: string) => {
    const decision = decideResourceUrl(dq ?? sq ?? bare ?? '', policy);
    if (decision.kind === 'keep') return `url('${decision.url.replace(/['"\\\n\r]/g, encodeURIComponent)}')`;
    if (decision.kind === 'blocked-remote') policy.onBlockedRemote();
    dropped = true;
    return whole;
  });
  // url( forms the regex could not read are dropped, too.
  if (dropped || /url\(/i.test(rewritten.replace(URL_FUNCTION, ''))) return null;
  return rewritten;
}

/** "color: red; background: url(...)" -> the declarations that pass. */
export function cleanDeclarations(text: string, policy: CssPolicy): string {
  const kept: string[] = [];
  let pos = 0;
  const body = stripComments(text);
  while (pos < body.length) {
    const end = findTopLevel(body, pos, ';');
    const declaration = body.slice(pos, end === -1 ? body.length : end);
    pos = end === -1 ? body.length : end + 1;
    const colon = declaration.indexOf(':');
    if (colon === -1) continue;
    const property = declaration.slice(0, colon).trim();
    if (!PROPERTY_NAME.test(property) || DANGEROUS_PROPERTY.test(property)) continue;
    const value = cleanValue(declaration.slice(colon + 1).trim(), policy);
    if (value !== null && value !== '') kept.push(`${property}: ${value}`);
  }
  return kept.join('; ');
}

/** A whole <style> sheet; "<" is escaped so the text can never close its element. */
export function cleanStylesheet(css: string, policy: CssPolicy): string {
  return cleanRules(stripComments(css), policy).replace(/</g, '\\3c ');
}

function cleanRules(css: string, policy: CssPolicy): string {
  let out = '';
  let pos = 0;
  while (pos < css.length) {
    const stop = findTopLevel(css, pos, '{;}');
    if (stop === -1) break;
    const prelude = css.slice(pos, stop).trim();
    if (css[stop] !== '{') {
      // A statement at-rule (@import, @charset, @namespace): none is needed to show a message.
      pos = stop + 1;
      continue;
    }
    const close = matchingBrace(css, stop);
    const inner = css.slice(stop + 1, Math.max(stop + 1, close - 1));
    pos = close;
    const decodedPrelude = decodeEscapes(prelude);
    // At-rules carrying a URL or string in their prelude (@import in block form, @namespace) go.
    if (decodedPrelude.startsWith('@') && /url\(|["']/.test(decodedPrelude)) continue;
    if (NESTING_AT_RULES.test(decodedPrelude)) out += `${prelude}{${cleanRules(inner, policy)}}\n`;
    else out += `${prelude}{${cleanDeclarations(inner, policy)}}\n`;
  }
  return out;
}
