import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sanitizeMailHtml } from '../../../../src-main/mime/sanitize';

const HOSTILE = fileURLToPath(new URL('../../../fixtures/hostile-html/', import.meta.url));
const hostileFixtures = readdirSync(HOSTILE).filter((name) => name.endsWith('.html'));

/** Attributes and CSS that make a viewer fetch or run something. */
const SCRIPT_TAG = /<\s*script/i;
const EVENT_HANDLER = /\son[a-z]+\s*=/i;
const CODE_URL = /(javascript|vbscript|livescript)\s*:/i;
const FETCHING_ATTRIBUTE =
  /\s(src|srcset|background|poster|data|action|formaction|xlink:href|lowsrc|dynsrc)\s*=\s*["']?\s*(https?:|\/\/)/i;
const CSS_REMOTE = /(url\(\s*["']?\s*(https?:|\/\/)|@import)/i;
const DANGEROUS_ELEMENT =
  /<\s*(iframe|object|embed|applet|form|input|button|select|textarea|meta|link|base|svg|math|frame|frameset|video|audio|template)\b/i;

/**
 * The markup with attribute values emptied: sanitize-html always double-quotes values and escapes
 * '"' inside them, so what is left outside quotes is exactly the tags and attribute names.
 */
function markupOnly(html: string): string {
  return html.replace(/="[^"]*"/g, '=""');
}

describe('sanitizeMailHtml on hostile fixtures', () => {
  it.each(hostileFixtures)('%s: no script, no handler, no code URL, no remote fetch when blocked', (name) => {
    const { html } = sanitizeMailHtml(readFileSync(`${HOSTILE}${name}`, 'utf8'), { allowRemote: false });
    expect(html).not.toMatch(SCRIPT_TAG);
    expect(markupOnly(html)).not.toMatch(EVENT_HANDLER);
    expect(html).not.toMatch(CODE_URL);
    expect(html).not.toMatch(FETCHING_ATTRIBUTE);
    expect(html).not.toMatch(CSS_REMOTE);
    expect(html).not.toMatch(DANGEROUS_ELEMENT);
    expect(html).not.toMatch(/expression\s*\(|behavior\s*:|-moz-binding/i);
  });

  it.each(hostileFixtures)('%s: still nothing executable when remote content is allowed', (name) => {
    const { html } = sanitizeMailHtml(readFileSync(`${HOSTILE}${name}`, 'utf8'), { allowRemote: true });
    expect(html).not.toMatch(SCRIPT_TAG);
    expect(markupOnly(html)).not.toMatch(EVENT_HANDLER);
    expect(html).not.toMatch(CODE_URL);
    expect(html).not.toMatch(DANGEROUS_ELEMENT);
    expect(html).not.toMatch(/@import/i);
  });
});

describe('sanitizeMailHtml', () => {
  it('keeps the formatting mail uses', () => {
    const input =
      '<table width="600" cellpadding="4" bgcolor="#fff"><tr><td align="center" style="color: #333; font-size: 14px">' +
      '<b>Bold</b> <i>it</i> <font face="Arial" color="red">font</font></td></tr></table><ul><li>one</li></ul>';
    const { html } = sanitizeMailHtml(input, { allowRemote: false });
    expect(html).toContain('<table width="600" cellpadding="4" bgcolor="#fff">');
    expect(html).toContain('style="color: #333; font-size: 14px"');
    expect(html).toContain('<font face="Arial" color="red">');
    expect(html).toContain('<li>one</li>');
  });

  it('blocks and counts remote images and backgrounds, and keeps them when allowed', () => {
    const input =
      '<img src="https://cdn.example/hero.png" width="600" alt="Hero">' +
      '<td background="https://cdn.example/bg.png">x</td><div style="background:url(https://cdn.example/d.png)">y</div>';
    const blocked = sanitizeMailHtml(input, { allowRemote: false });
    expect(blocked.blockedRemote).toBe(3);
    expect(blocked.html).not.toContain('cdn.example');
    expect(blocked.html).toContain('alt="Hero"');
    const allowed = sanitizeMailHtml(input, { allowRemote: true });
    expect(allowed.blockedRemote).toBe(0);
    expect(allowed.html).toContain('src="https://cdn.example/hero.png"');
    expect(allowed.html).toContain("url('https://cdn.example/d.png')");
  });

  it('removes tracking pixels even when remote content is allowed, and counts them', () => {
    const input =
      '<img src="https://t.example/o.gif" width="1" height="1"><img src="https://t.example/h.gif" style="display:none">' +
      '<img src="https://t.example/p.gif" style="width:0px;height:0px"><img src="https://cdn.example/real.png" width="300">';
    const result = sanitizeMailHtml(input, { allowRemote: true });
    expect(result.trackingPixels).toBe(3);
    expect(result.html).not.toContain('t.example');
    expect(result.html).toContain('cdn.example/real.png');
  });

  it('replaces cid: references with the URLs given, and drops unknown ones', () => {
    const cidUrls = new Map([['logo@shop.example', 'data:image/png;base64,iVBORw0KGgo=']]);
    const input =
      '<img src="cid:logo@shop.example"><img src="cid:missing@x"><div style="background:url(cid:logo@shop.example)">z</div>';
    const { html } = sanitizeMailHtml(input, { allowRemote: false, cidUrls });
    expect(html).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" />');
    expect(html).not.toContain('cid:');
    expect(html).toContain("url('data:image/png;base64,iVBORw0KGgo=')");
  });

  it('accepts the scheme the viewer uses for cid: parts', () => {
    const cidUrls = new Map([['a@b', 'estafeta-part://message/12/part/3']]);
    const { html } = sanitizeMailHtml('<img src="cid:a@b">', { allowRemote: false, cidUrls });
    expect(html).toContain('src="estafeta-part://message/12/part/3"');
  });

  it('opens links in a new context without an opener or referrer', () => {
    const { html } = sanitizeMailHtml('<a href="https://ok.example/" target="_self" rel="opener">x</a>', {
      allowRemote: false,
    });
    expect(html).toBe('<a href="https://ok.example/" target="_blank" rel="noopener noreferrer">x</a>');
  });

  it('keeps harmless <style> rules and removes the dangerous ones', () => {
    const input =
      '<style>p { color: green } .x { background: url(https://e.example/x.png); margin: 0 } @import "y.css";</style><p>t</p>';
    const result = sanitizeMailHtml(input, { allowRemote: false });
    expect(result.html).toContain('p{color: green}');
    expect(result.html).toContain('.x{margin: 0}');
    expect(result.html).not.toContain('e.example');
    expect(result.html).not.toContain('@import');
    expect(result.blockedRemote).toBe(1);
  });

  it('measures a ~1 MB newsletter', () => {
    const block =
      '<tr><td style="padding:12px;border-bottom:1px solid #eee;font-family:Arial,sans-serif">' +
      '<h3 style="margin:0">Headline with <a href="https://news.example/a?utm_source=x&amp;b=1">a link</a></h3>' +
      '<p style="color:#555;background:url(https://news.example/bg.png)">Some text about the product, with <b>bold</b>' +
      ' and <i>italics</i>, repeated to the size of a real newsletter.</p>' +
      '<img src="https://news.example/img.png" width="560" height="200" alt="Picture"></td></tr>\n';
    let html =
      '<html><head><style>.c{max-width:600px} td{font-size:14px}</style></head><body><table class="c">';
    while (html.length < 1024 * 1024) html += block;
    html += '</table><img src="https://news.example/open.gif" width="1" height="1"></body></html>';
    const started = performance.now();
    const result = sanitizeMailHtml(html, { allowRemote: false });
    const ms = performance.now() - started;
    console.log(
      `sanitizeMailHtml: ${(html.length / 1024 / 1024).toFixed(2)} MB newsletter in ${ms.toFixed(0)} ms ` +
        `(blockedRemote=${result.blockedRemote}, trackingPixels=${result.trackingPixels})`,
    );
    expect(result.trackingPixels).toBe(1);
    expect(result.html).not.toContain('news.example/img.png');
  });
});
