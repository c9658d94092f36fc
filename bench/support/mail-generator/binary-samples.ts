/** Attachment bodies: tiny real PNG/PDF files and pre-encoded random bytes for size. */
import zlib from 'node:zlib';
import { b64wrap } from './encoders';
import type { Random } from './random';

const POOL_BYTES = 57 * 65536; // 3.6 MiB -> 65,536 base64 lines of 76 characters
const POOL_LINES = POOL_BYTES / 57;

export const JPEG_HEAD = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
export const ZIP_HEAD = Buffer.from('504b0304140000000800', 'hex');

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buffer: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

function makePng(width: number, height: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = 2;
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const offset = y * (width * 3 + 1) + 1 + x * 3;
      const shade = ((x >> 3) + (y >> 3)) & 1 ? 1 : 0.8;
      raw[offset] = r * shade;
      raw[offset + 1] = g * shade;
      raw[offset + 2] = b * shade;
    }
  }
  const signature = Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]);
  return Buffer.concat([
    signature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', zlib.deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

export const PNGS: readonly Buffer[] = (
  [
    [220, 60, 60],
    [60, 140, 220],
    [60, 180, 90],
    [240, 180, 40],
  ] as const
).map((color) => makePng(48, 48, color));

export function makePdf(title: string): Buffer {
  const text = title
    .replace(/[()\\]/g, '')
    .replace(/[^\x20-\x7e]/g, '?')
    .slice(0, 60);
  const stream = `BT /F1 18 Tf 72 760 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Base64 bodies of any size: a real file head, then lines from a pool of random bytes. */
export class BlobPool {
  private readonly pool: Buffer;
  private readonly poolBase64: string;

  constructor(private readonly random: Random) {
    this.pool = Buffer.allocUnsafe(POOL_BYTES);
    for (let i = 0; i < POOL_BYTES; i += 4)
      this.pool.writeUInt32LE(Math.floor(random.next() * 4294967296), i);
    this.poolBase64 = this.pool.toString('base64').replace(/.{76}/g, '$&\n');
  }

  base64(prefix: Buffer, total: number): string {
    const size = Math.max(total, prefix.length);
    const pad = (57 - (prefix.length % 57)) % 57;
    const offset = this.random.int(0, POOL_BYTES - pad - 1);
    const head = Buffer.concat([
      prefix,
      this.pool.subarray(offset, offset + Math.min(pad, size - prefix.length)),
    ]);
    let out = b64wrap(head);
    let remainingLines = Math.ceil((size - head.length) / 57);
    while (remainingLines > 0) {
      const start = this.random.int(0, POOL_LINES - 1);
      const lines = Math.min(remainingLines, POOL_LINES - start);
      out += this.poolBase64.slice(start * 77, (start + lines) * 77);
      remainingLines -= lines;
    }
    return out;
  }
}
