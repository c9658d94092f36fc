import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isExecutableName, numberedName, writeNewFile } from '../../../../src-main/api/attachment-files';
import { MailError } from '../../../../src-main/domain/errors';
import { makeTempDir, type TempDir } from '../../../support/temp-dir';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir('estafeta-attach-');
});
afterEach(async () => {
  await temp.remove();
});

describe('writeNewFile', () => {
  it('never overwrites: the same name again becomes "name (2).ext", "name (3).ext"', async () => {
    const names = [];
    for (const text of ['one', 'two', 'three']) {
      names.push(await writeNewFile(temp.path, 'report.pdf', Buffer.from(text)));
    }
    expect(names).toEqual(['report.pdf', 'report (2).pdf', 'report (3).pdf']);
    await expect(readFile(path.join(temp.path, 'report.pdf'), 'utf8')).resolves.toBe('one');
  });

  it.each(['../escape.txt', 'sub/dir.txt', '..', '', '/etc/passwd'])(
    'refuses a name that is not a plain file name in the folder: %j',
    async (name) => {
      await expect(writeNewFile(temp.path, name, Buffer.from('x'))).rejects.toBeInstanceOf(MailError);
      await expect(readdir(temp.path)).resolves.toEqual([]);
    },
  );

  it('says where it could not write instead of crashing', async () => {
    const error = await writeNewFile(path.join(temp.path, 'missing-folder'), 'a.txt', Buffer.from('x')).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).message).toMatch(/could not be saved/);
  });
});

describe('numberedName and isExecutableName', () => {
  it('numbers before the extension', () => {
    expect(numberedName('README', 2)).toBe('README (2)');
    expect(numberedName('a.tar.gz', 3)).toBe('a.tar (3).gz');
  });

  it('treats programs and scripts as executable whatever the case, documents not', () => {
    for (const name of [
      'x.EXE',
      'invoice.pdf.exe',
      'run.sh',
      'page.html',
      'macro.docm',
      'a.js',
      'setup.bin',
    ]) {
      expect(isExecutableName(name)).toBe(true);
    }
    for (const name of ['report.pdf', 'photo.png', 'notes.txt', 'data.csv', 'README']) {
      expect(isExecutableName(name)).toBe(false);
    }
  });
});
