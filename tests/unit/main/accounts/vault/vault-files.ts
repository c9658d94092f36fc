import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Every regular file under `dir`, recursively. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

/** The encodings in which a leaked secret could show up in a file. */
export function encodingsOf(secret: string): Buffer[] {
  const bytes = Buffer.from(secret, 'utf8');
  return [
    bytes,
    Buffer.from(bytes.toString('base64')),
    Buffer.from(bytes.toString('base64url')),
    Buffer.from(bytes.toString('hex')),
    Buffer.from(bytes.toString('hex').toUpperCase()),
    Buffer.from(secret, 'utf16le'),
  ];
}

/** Paths of files under `dir` that contain `secret` in any encoding. */
export async function filesLeaking(dir: string, secret: string): Promise<string[]> {
  const leaking: string[] = [];
  for (const path of await filesUnder(dir)) {
    const contents = await readFile(path);
    if (encodingsOf(secret).some((encoded) => contents.includes(encoded))) leaking.push(path);
  }
  return leaking;
}
