/**
 * THE only HTML cleaner. Mail HTML is hostile input: the result is shown only inside a sandboxed
 * iframe with its own CSP, and this cleaner is the first of those layers, not the only one.
 * Allow-list based (sanitize-html over htmlparser2, no DOM): formatting survives, anything that runs
 * code, submits, navigates by itself or fetches without permission does not.
 */
import sanitizeHtml from 'sanitize-html';
import type { Attributes, IOptions, Tag } from 'sanitize-html';
import { cleanDeclarations, cleanStylesheet } from './css-filter';
import type { CssPolicy } from './css-filter';
import { decideResourceUrl, isRemoteUrl } from './resource-url';

export interface SanitizeOptions {
  /** Load remote images and backgrounds (the user said so for this message or sender). */
  allowRemote: boolean;
  /** Content-ID (without brackets) -> URL of that part as the viewer can load it. */
  cidUrls?: ReadonlyMap<string, string>;
}

export interface SanitizedHtml {
  html: string;
  /** Remote images, backgrounds and CSS resources that were not loaded. */
  blockedRemote: number;
  /** Remote 1x1-style images (read receipts by another name); removed even when remote is allowed. */
  trackingPixels: number;
}

/** A tag name sanitize-html does not allow, used to drop an element from a transform. */
const DROPPED_TAG = 'estafeta-dropped';
/** Images this small or hidden exist only to report that the message was opened. */
const TRACKING_PIXEL_MAX_PX = 2;

// prettier-ignore
const FORMATTING_TAGS = [
  'a', 'abbr', 'acronym', 'address', 'article', 'aside', 'b', 'bdi', 'bdo', 'big', 'blockquote', 'br',
  'caption', 'center', 'cite', 'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt',
  'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'i',
  'img', 'ins', 'kbd', 'li', 'main', 'mark', 'nav', 'ol', 'p', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp',
  'section', 'small', 'span', 'strike', 'strong', 'style', 'sub', 'summary', 'sup', 'table', 'tbody', 'td',
  'tfoot', 'th', 'thead', 'time', 'tr', 'tt', 'u', 'ul', 'var', 'wbr',
];

/** Elements whose content is dropped with them: code, raw text, and foreign (SVG/MathML) content. */
// prettier-ignore
const DROPPED_WITH_CONTENT = [
  'script', 'noscript', 'textarea', 'option', 'select', 'title', 'iframe', 'frame', 'frameset', 'noframes',
  'noembed', 'object', 'embed', 'applet', 'template', 'svg', 'math', 'xmp', 'plaintext', 'canvas', 'audio',
  'video', 'xml',
];

// prettier-ignore
const PRESENTATION_ATTRIBUTES = [
  'align', 'valign', 'bgcolor', 'border', 'width', 'height', 'color', 'dir', 'lang', 'title', 'style',
  'class', 'id', 'background', 'hspace', 'vspace', 'nowrap', 'role', 'aria-*',
];

const ALLOWED_ATTRIBUTES: IOptions['allowedAttributes'] = {
  '*': PRESENTATION_ATTRIBUTES,
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'alt'],
  table: ['cellpadding', 'cellspacing', 'summary', 'frame', 'rules'],
  td: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
  th: ['colspan', 'rowspan', 'headers', 'scope', 'abbr'],
  col: ['span'],
  colgroup: ['span'],
  ol: ['start', 'type', 'reversed'],
  ul: ['type'],
  li: ['value', 'type'],
  font: ['face', 'size'],
  blockquote: ['cite'],
  q: ['cite'],
  del: ['cite', 'datetime'],
  ins: ['cite', 'datetime'],
  time: ['datetime'],
  details: ['open'],
};

function pixelSize(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(px)?\s*$/i.exec(value);
  return match ? Number(match[1]) : null;
}

function isTrackingPixel(attribs: Attributes): boolean {
  const style = (attribs.style ?? '').toLowerCase().replace(/\s+/g, '');
  const styleWidth = /(?:^|;)width:(\d+(?:\.\d+)?)px/.exec(style)?.[1];
  const styleHeight = /(?:^|;)height:(\d+(?:\.\d+)?)px/.exec(style)?.[1];
  const sizes = [
    pixelSize(attribs.width),
    pixelSize(attribs.height),
    pixelSize(styleWidth),
    pixelSize(styleHeight),
  ];
  const tiny = sizes.some((size) => size !== null && size <= TRACKING_PIXEL_MAX_PX);
  return tiny || /display:none|visibility:hidden/.test(style) || 'hidden' in attribs;
}

/** Per-call state: the counters and the policies that feed them. */
class SanitizeRun {
  blockedRemote = 0;
  trackingPixels = 0;
  readonly css: CssPolicy;

  constructor(readonly options: SanitizeOptions) {
    this.css = {
      allowRemote: options.allowRemote,
      cidUrls: options.cidUrls ?? new Map(),
      onBlockedRemote: () => {
        this.blockedRemote++;
      },
    };
  }

  /** Runs on every element before sanitize-html filters attributes. */
  readonly transform = (tagName: string, attribs: Attributes): Tag => {
    // No attributes on <style>: the post-pass in sanitizeMailHtml relies on the bare "<style>".
    if (tagName === 'style') return { tagName, attribs: {} };
    const out: Attributes = { ...attribs };
    if (out.style !== undefined) {
      const style = cleanDeclarations(out.style, this.css);
      if (style === '') delete out.style;
      else out.style = style;
    }
    if (out.background !== undefined) this.resourceAttribute(out, 'background');
    if (tagName === 'img') return this.image(out);
    if (tagName === 'a') {
      out.target = '_blank';
      out.rel = 'noopener noreferrer';
    }
    return { tagName, attribs: out };
  };

  private image(attribs: Attributes): Tag {
    const src = attribs.src ?? '';
    if (isRemoteUrl(src) && isTrackingPixel(attribs)) {
      this.trackingPixels++;
      if (!this.options.allowRemote) this.blockedRemote++;
      return { tagName: DROPPED_TAG, attribs: {} };
    }
    this.resourceAttribute(attribs, 'src');
    return { tagName: 'img', attribs };
  }

  private resourceAttribute(attribs: Attributes, name: string): void {
    const decision = decideResourceUrl(attribs[name] ?? '', this.css);
    if (decision.kind === 'keep') attribs[name] = decision.url;
    else {
      if (decision.kind === 'blocked-remote') this.blockedRemote++;
      delete attribs[name];
    }
  }
}

/** URL schemes the cid: replacements use, so sanitize-html lets them through on img. */
function schemesOf(urls: Iterable<string>): string[] {
  const schemes = new Set<string>();
  for (const url of urls) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1];
    if (scheme && !/^(javascript|vbscript)$/i.test(scheme)) schemes.add(scheme.toLowerCase());
  }
  return [...schemes];
}

const STYLE_ELEMENT = /<style>([\s\S]*?)<\/style>/g;

export function sanitizeMailHtml(html: string, options: SanitizeOptions): SanitizedHtml {
  const run = new SanitizeRun(options);
  const resourceSchemes = ['http', 'https', 'data', ...schemesOf(options.cidUrls?.values() ?? [])];
  const cleaned = sanitizeHtml(html, {
    allowedTags: FORMATTING_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: resourceSchemes },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'background'],
    allowProtocolRelative: false,
    allowVulnerableTags: true, // <style> only: its text is cleaned below, by css-filter.
    parseStyleAttributes: false, // style attributes are cleaned by css-filter in the transform.
    disallowedTagsMode: 'discard',
    nonTextTags: DROPPED_WITH_CONTENT,
    transformTags: { '*': run.transform },
  });
  // sanitize-html escapes "<" in all text and attribute values, so in its output "<style>" and
  // "</style>" can only be the style elements it emitted (which have no attributes).
  const withCleanStyles = cleaned.replace(
    STYLE_ELEMENT,
    (_whole, css: string) => `<style>${cleanStylesheet(css, run.css)}</style>`,
  );
  return { html: withCleanStyles, blockedRemote: run.blockedRemote, trackingPixels: run.trackingPixels };
}
