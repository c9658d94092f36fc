/** Content-Transfer-Encoding (RFC 2045 §6) -> bytes. Lenient: mail in the wild is sloppy. */

/** RFC 2045 §6.7: "=XX" bytes and "=" soft line breaks; anything else is kept as it is. */
export function decodeQuotedPrintable(encoded: Buffer): Buffer {
  const out = Buffer.allocUnsafe(encoded.length);
  let written = 0;
  const hex = (byte: number | undefined): number => {
    if (byte === undefined) return -1;
    if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
    if (byte >= 0x41 && byte <= 0x46) return byte - 0x37;
    if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
    return -1;
  };
  for (let i = 0; i < encoded.length; i++) {
    const byte = encoded[i]!;
    if (byte !== 0x3d) {
      out[written++] = byte;
      continue;
    }
    const high = hex(encoded[i + 1]);
    const low = hex(encoded[i + 2]);
    if (high >= 0 && low >= 0) {
      out[written++] = (high << 4) | low;
      i += 2;
      continue;
    }
    // Soft line break: "=" then optional white space then CRLF or LF.
    let j = i + 1;
    while (encoded[j] === 0x20 || encoded[j] === 0x09) j++;
    if (encoded[j] === 0x0d && encoded[j + 1] === 0x0a) i = j + 1;
    else if (encoded[j] === 0x0a) i = j;
    else out[written++] = byte;
  }
  return out.subarray(0, written);
}

/** Base64 with line breaks and stray characters ignored. */
export function decodeBase64(encoded: Buffer): Buffer {
  return Buffer.from(encoded.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

export function decodeTransfer(encoded: Buffer, encoding: string): Buffer {
  switch (encoding.trim().toLowerCase()) {
    case 'base64':
      return decodeBase64(encoded);
    case 'quoted-printable':
      return decodeQuotedPrintable(encoded);
    default:
      return encoded; // 7bit, 8bit, binary, or unknown
  }
}
