// The I/O floor of any mbox importer, as a bare Node script with no dependencies: stream the
// file, cut it at From_ lines (at the start or after an empty line), and write every message to
// its own file (256 shard directories) with fsync. No parsing, no database, no line-ending work.
//
//   node bench/support/baseline-split-write.mjs <file.mbox> <output dir>
// Prints one JSON line: {"messages": n, "seconds": s}.
import { createReadStream } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';

const [mboxPath, outDir] = process.argv.slice(2);
if (!mboxPath || !outDir) {
  console.error('usage: baseline-split-write.mjs <file.mbox> <output dir>');
  process.exit(2);
}

let count = 0;
async function writeMessage(parts) {
  const message = Buffer.concat(parts);
  if (message.length === 0) return;
  const shard = path.join(outDir, (count % 256).toString(16).padStart(2, '0'));
  if (count < 256) await mkdir(shard, { recursive: true });
  const handle = await open(path.join(shard, `${count}.eml`), 'w');
  await handle.writeFile(message);
  await handle.sync();
  await handle.close();
  count++;
}

const started = process.hrtime.bigint();
let current = [];
let carry = Buffer.alloc(0);
let previousBlank = true;
for await (const chunk of createReadStream(mboxPath, { highWaterMark: 1024 * 1024 })) {
  const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
  let lineStart = 0;
  let runStart = 0;
  for (let nl = data.indexOf(10); nl !== -1; nl = data.indexOf(10, lineStart)) {
    const isFromLine =
      previousBlank &&
      data[lineStart] === 0x46 &&
      data.toString('latin1', lineStart, lineStart + 5) === 'From ';
    if (isFromLine) {
      current.push(data.subarray(runStart, lineStart));
      await writeMessage(current);
      current = [];
      runStart = nl + 1;
    }
    previousBlank = nl === lineStart || (nl === lineStart + 1 && data[lineStart] === 13);
    lineStart = nl + 1;
  }
  current.push(data.subarray(runStart, lineStart));
  carry = Buffer.from(data.subarray(lineStart));
}
current.push(carry);
await writeMessage(current);
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
console.log(JSON.stringify({ messages: count, seconds }));
