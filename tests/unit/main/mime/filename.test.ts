import { describe, expect, it } from 'vitest';
import { FILENAME_MAX_BYTES, sanitizeAttachmentFilename } from '../../../../src-main/mime/filename';

const clean = (name: string | undefined): string => sanitizeAttachmentFilename(name, 'attachment.bin');

describe('sanitizeAttachmentFilename', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\Windows\\System32\\evil.dll', 'evil.dll'],
    ['C:\\Users\\me\\evil.exe', 'evil.exe'],
    ['/absolute/path/report.pdf', 'report.pdf'],
    ['..', 'attachment.bin'],
    ['...', 'attachment.bin'],
    ['a/..', 'attachment.bin'],
    ['report..pdf', 'report.pdf'],
    ['dir/', 'attachment.bin'],
  ])('keeps no directory part or traversal: %s -> %s', (input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it.each([
    ['\uff0e\uff0e\uff0fetc\uff0fpasswd', '___etc_passwd'],
    ['..\u2215..\u2215evil.sh', '_._evil.sh'],
    ['C\uff1a\uff3cWindows\uff3cx.dll', 'C__Windows_x.dll'],
    ['%2e%2e%2fsecret.txt', '%2e%2e%2fsecret.txt'],
  ])('turns look-alike separators into plain characters: %s -> %s', (input, expected) => {
    const result = clean(input);
    expect(result).toBe(expected);
    expect(result).not.toMatch(/[/\\:]|\.\./);
  });

  it('removes control characters, Windows-reserved characters and bidi overrides', () => {
    expect(clean('in\u0000voice\u0007.pdf')).toBe('in_voice_.pdf');
    expect(clean('what?<now>:"|*.txt')).toBe('what__now_____.txt');
    expect(clean('photo\u202Egpj.exe')).toBe('photogpj.exe');
    expect(clean('line\r\nbreak.txt')).toBe('line__break.txt');
  });

  it.each(['CON', 'con.txt', 'NUL', 'aux.tar.gz', 'COM1', 'lpt9.doc', 'PRN .txt', 'COM¹'])(
    'never yields the Windows device name %s',
    (input) => {
      const result = clean(input);
      expect(result.startsWith('_')).toBe(true);
      expect(result.slice(1)).toBe(input);
    },
  );

  it('does not touch names that merely start like a device', () => {
    expect(clean('console.log')).toBe('console.log');
    expect(clean('COM10.txt')).toBe('COM10.txt');
  });

  it('removes trailing dots and spaces, which Windows drops silently', () => {
    expect(clean('report.pdf. . ')).toBe('report.pdf');
    expect(clean('  spaced name.txt  ')).toBe('spaced name.txt');
  });

  it('falls back when nothing usable is left', () => {
    expect(clean(undefined)).toBe('attachment.bin');
    expect(clean('')).toBe('attachment.bin');
    expect(clean('   ')).toBe('attachment.bin');
    expect(clean('///')).toBe('attachment.bin');
    expect(clean('\u0001\u0002')).toBe('attachment.bin');
  });

  it('cuts long names to the byte limit in UTF-8 and keeps the extension', () => {
    const result = clean(`${'日本語'.repeat(100)}.pdf`);
    expect(Buffer.byteLength(result, 'utf8')).toBeLessThanOrEqual(FILENAME_MAX_BYTES);
    expect(result.endsWith('.pdf')).toBe(true);
    expect(result.startsWith('日本語')).toBe(true);
    expect(result).not.toContain('\uFFFD');
    const emoji = clean('🎉'.repeat(80));
    expect(Buffer.byteLength(emoji, 'utf8')).toBeLessThanOrEqual(FILENAME_MAX_BYTES);
    expect([...emoji].every((ch) => ch === '🎉')).toBe(true);
  });
});
