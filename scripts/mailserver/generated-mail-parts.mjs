// generated-mail-parts.mjs: the pieces of a generated message that involve no randomness, shared by
// the test mailbox seeder (seed.mjs, plain Node with no build step, hence JavaScript) and the
// benchmarks' message generator (bench/support/mail-generator). Types: generated-mail-parts.d.mts.
// Both callers rely on these producing the same bytes as before they were shared.
import zlib from 'node:zlib';

// Code-point loops instead of /[\x00-\x7f]/ regexes (eslint no-control-regex).
const allBelow = (s, limit) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > limit) return false;
  return true;
};
export const isAscii = (s) => allBelow(s, 0x7f);
export const latin1able = (s) => allBelow(s, 0xff);

export function b64wrap(buf) {
  return buf.toString('base64').replace(/.{76}/g, '$&\n').replace(/\n?$/, '\n');
}

/** RFC 2045 §6.7 quoted-printable of UTF-8 text, LF line ends. */
export function qpEncode(str) {
  const out = [];
  for (const line of str.split('\n')) {
    const bytes = Buffer.from(line, 'utf8');
    let cur = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      let tok;
      if ((b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && i < bytes.length - 1))
        tok = String.fromCharCode(b);
      else tok = '=' + b.toString(16).toUpperCase().padStart(2, '0');
      if (cur.length + tok.length > 75) {
        out.push(cur + '=');
        cur = '';
      }
      cur += tok;
    }
    out.push(cur);
  }
  return out.join('\n') + '\n';
}

/** RFC 2047 B encoded-words of at most 45 bytes each (60 base64 characters). */
export function encWordB(s, charset = 'UTF-8') {
  const words = [];
  let chunk = '';
  const max = 45;
  for (const ch of s) {
    if (Buffer.byteLength(chunk + ch) > max) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?${charset}?B?${Buffer.from(w, 'utf8').toString('base64')}?=`);
}

/** RFC 2047 Q encoded-words, each short enough for a 76-character line. */
export function encWordQ(s, charset = 'UTF-8') {
  const enc = charset === 'UTF-8' ? 'utf8' : 'latin1';
  const words = [];
  let cur = '';
  for (const ch of s) {
    let tok = '';
    if (/^[A-Za-z0-9!*+\-/]$/.test(ch)) tok = ch;
    else if (ch === ' ') tok = '_';
    else for (const b of Buffer.from(ch, enc)) tok += '=' + b.toString(16).toUpperCase().padStart(2, '0');
    if (cur.length + tok.length > 75 - 7 - charset.length - 5) {
      words.push(cur);
      cur = '';
    }
    cur += tok;
  }
  if (cur) words.push(cur);
  return words.map((w) => `=?${charset}?Q?${w}?=`);
}

/** An address header folded at commas (RFC 5322 §2.2.3). */
export function foldList(name, items) {
  let out = `${name}: `;
  let lineLen = out.length;
  items.forEach((it, i) => {
    const piece = it + (i < items.length - 1 ? ',' : '');
    if (i > 0 && lineLen + piece.length + 1 > 76) {
      out += '\n ';
      lineLen = 1;
    } else if (i > 0) {
      out += ' ';
      lineLen++;
    }
    out += piece;
    lineLen = piece.includes('\n') ? piece.length - piece.lastIndexOf('\n') : lineLen + piece.length;
  });
  return out;
}

// ------------------------------------------------------------------ tiny real files
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function pngChunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}
/** A real w x h RGB PNG in a checkerboard of the colour. */
export function makePng(w, h, r, g, b) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8;
  ihdr[9] = 2;
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      const f = ((x >> 3) + (y >> 3)) & 1 ? 1 : 0.8;
      raw[o] = r * f;
      raw[o + 1] = g * f;
      raw[o + 2] = b * f;
    }
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
/** The four PNG attachments both generators use. */
export const PNGS = [
  [220, 60, 60],
  [60, 140, 220],
  [60, 180, 90],
  [240, 180, 40],
].map(([r, g, b]) => makePng(48, 48, r, g, b));

/** A real one-page PDF showing the title. */
export function makePdf(title) {
  const text = title
    .replace(/[()\\]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 60);
  const stream = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offs = [];
  objs.forEach((o, i) => {
    offs.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out +=
    `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n` +
    offs.map((o) => String(o).padStart(10, '0') + ' 00000 n \n').join('');
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
export const JPEG_HEAD = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
export const ZIP_HEAD = Buffer.from('504b0304140000000800', 'hex');
