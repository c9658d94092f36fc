/**
 * DNS for discovery tests, two ways:
 * - createFakeResolver(): an in-process object implementing the SrvResolver/MxResolver interface,
 *   with per-name delays, answers that never come, and failures;
 * - startDnsStandIn(): a real UDP DNS server on 127.0.0.1 answering SRV and MX queries from the
 *   same zone data (RFC 1035 wire format), so the real node:dns Resolver can be pointed at it with
 *   setServers(['127.0.0.1:<port>']).
 */
import { createSocket, type RemoteInfo } from 'node:dgram';
import type {
  MxRecord,
  MxResolver,
  SrvRecord,
  SrvResolver,
} from '../../src-main/accounts/autoconfig/discovery-options';

export interface DnsZone {
  srv?: Record<string, SrvRecord[]>;
  mx?: Record<string, MxRecord[]>;
}

export interface FakeResolverOptions {
  /** Milliseconds before answering, or 'never' for a query that never settles. */
  delays?: Record<string, number | 'never'>;
  /** Names whose lookup rejects with an error of this code (e.g. 'ESERVFAIL'). */
  failures?: Record<string, string>;
}

export interface FakeResolver extends SrvResolver, MxResolver {
  /** "SRV name" / "MX name" entries: every query asked, in order. */
  readonly queries: string[];
  /** The same for queries that have been answered (resolved or rejected), in order. */
  readonly answered: string[];
}

export function createFakeResolver(zone: DnsZone, options: FakeResolverOptions = {}): FakeResolver {
  const queries: string[] = [];
  const answered: string[] = [];
  function lookup<T>(type: string, name: string, table: Record<string, T[]> | undefined): Promise<T[]> {
    queries.push(`${type} ${name}`);
    const delay = options.delays?.[name] ?? 0;
    if (delay === 'never') return new Promise<T[]>(() => undefined);
    return new Promise<T[]>((resolve, reject) => {
      setTimeout(() => {
        answered.push(`${type} ${name}`);
        const failure = options.failures?.[name];
        if (failure !== undefined) reject(Object.assign(new Error(`${failure} ${name}`), { code: failure }));
        else resolve(structuredClone(table?.[name] ?? []));
      }, delay);
    });
  }
  return {
    queries,
    answered,
    resolveSrv: (name) => lookup('SRV', name, zone.srv),
    resolveMx: (name) => lookup('MX', name, zone.mx),
  };
}

const TYPE_MX = 15;
const TYPE_SRV = 33;
const CLASS_IN = 1;
const HEADER_BYTES = 12;
const TTL_SECONDS = 60;
const RCODE_NXDOMAIN = 3;
const RCODE_FORMERR = 1;
/** A pointer to the question name, which always starts right after the header (RFC 1035 §4.1.4). */
const POINTER_TO_QUESTION = 0xc000 | HEADER_BYTES;

function encodeName(name: string): Buffer {
  const labels = name.split('.').filter((label) => label.length > 0);
  return Buffer.concat([
    ...labels.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'ascii')])),
    Buffer.from([0]),
  ]);
}

function u16(...values: number[]): Buffer {
  const buffer = Buffer.alloc(values.length * 2);
  values.forEach((value, index) => buffer.writeUInt16BE(value, index * 2));
  return buffer;
}

interface Question {
  name: string;
  type: number;
  /** The question section's bytes, echoed in the reply. */
  raw: Buffer;
}

function readQuestion(query: Buffer): Question | null {
  if (query.length < HEADER_BYTES + 5 || query.readUInt16BE(4) !== 1) return null;
  const labels: string[] = [];
  let offset = HEADER_BYTES;
  for (;;) {
    const length = query[offset];
    if (length === undefined || length > 63) return null;
    offset += 1;
    if (length === 0) break;
    labels.push(query.subarray(offset, offset + length).toString('ascii'));
    offset += length;
  }
  if (offset + 4 > query.length) return null;
  return {
    name: labels.join('.').toLowerCase(),
    type: query.readUInt16BE(offset),
    raw: query.subarray(HEADER_BYTES, offset + 4),
  };
}

function answerRecords(zone: DnsZone, question: Question): Buffer[] | null {
  const srv = zone.srv?.[question.name];
  const mx = zone.mx?.[question.name];
  if (srv === undefined && mx === undefined) return null;
  const rdatas =
    question.type === TYPE_SRV
      ? (srv ?? []).map((r) => Buffer.concat([u16(r.priority, r.weight, r.port), encodeName(r.name)]))
      : question.type === TYPE_MX
        ? (mx ?? []).map((r) => Buffer.concat([u16(r.priority), encodeName(r.exchange)]))
        : [];
  return rdatas.map((rdata) =>
    Buffer.concat([
      u16(POINTER_TO_QUESTION, question.type, CLASS_IN),
      u16(0, TTL_SECONDS),
      u16(rdata.length),
      rdata,
    ]),
  );
}

function reply(query: Buffer, zone: DnsZone): Buffer {
  const id = query.readUInt16BE(0);
  // QR=1, AA=1, RA=1; keep the query's opcode and RD bit.
  const flags = 0x8000 | (query.readUInt16BE(2) & 0x7900) | 0x0400 | 0x0080;
  const question = readQuestion(query);
  if (question === null) return u16(id, flags | RCODE_FORMERR, 0, 0, 0, 0);
  const answers = answerRecords(zone, question);
  const rcode = answers === null ? RCODE_NXDOMAIN : 0;
  return Buffer.concat([
    u16(id, flags | rcode, 1, answers?.length ?? 0, 0, 0),
    question.raw,
    ...(answers ?? []),
  ]);
}

export interface DnsStandInOptions {
  /** Names whose queries are read but never answered (a server that times out). */
  silentNames?: string[];
}

export interface DnsStandIn {
  readonly port: number;
  /** "127.0.0.1:<port>", for Resolver#setServers. */
  readonly server: string;
  /** "SRV name" / "MX name" / "TYPE<n> name" entries, in order of arrival. */
  readonly queries: string[];
  close(): Promise<void>;
}

export async function startDnsStandIn(zone: DnsZone, options: DnsStandInOptions = {}): Promise<DnsStandIn> {
  const socket = createSocket('udp4');
  const queries: string[] = [];
  const silent = new Set(options.silentNames?.map((name) => name.toLowerCase()));
  socket.on('message', (message: Buffer, peer: RemoteInfo) => {
    const question = readQuestion(message);
    if (question !== null) {
      const type =
        question.type === TYPE_SRV ? 'SRV' : question.type === TYPE_MX ? 'MX' : `TYPE${question.type}`;
      queries.push(`${type} ${question.name}`);
      if (silent.has(question.name)) return;
    }
    if (message.length >= HEADER_BYTES) socket.send(reply(message, zone), peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  return {
    port,
    server: `127.0.0.1:${port}`,
    queries,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
