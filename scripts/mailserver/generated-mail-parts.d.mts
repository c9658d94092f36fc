/** Types of generated-mail-parts.mjs (plain JavaScript so that seed.mjs runs without a build). */
export function isAscii(s: string): boolean;
export function latin1able(s: string): boolean;
export function b64wrap(buffer: Buffer): string;
export function qpEncode(text: string): string;
export function encWordB(text: string, charset?: string): string[];
export function encWordQ(text: string, charset?: string): string[];
export function foldList(name: string, items: readonly string[]): string;
export function makePng(width: number, height: number, r: number, g: number, b: number): Buffer;
export const PNGS: readonly Buffer[];
export function makePdf(title: string): Buffer;
export const JPEG_HEAD: Buffer;
export const ZIP_HEAD: Buffer;
