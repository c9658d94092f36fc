/** Attachment bodies: tiny real PNG/PDF files and pre-encoded random bytes for size. */
import { b64wrap } from '../../../scripts/mailserver/generated-mail-parts.mjs';
import type { Random } from './random';

// The real files are shared with the test mailbox seeder (scripts/mailserver/seed.mjs).
export { JPEG_HEAD, makePdf, PNGS, ZIP_HEAD } from '../../../scripts/mailserver/generated-mail-parts.mjs';

const POOL_BYTES = 57 * 65536; // 3.6 MiB -> 65,536 base64 lines of 76 characters
const POOL_LINES = POOL_BYTES / 57;

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
