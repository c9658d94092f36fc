#!/usr/bin/env node
// seed.mjs: write N realistic messages straight into a Dovecot Maildir++ (no dependencies, Node >= 18).
// Adapted from the team's mailharness. Writing files directly is much faster than IMAP APPEND or SMTP,
// which keeps a 10,000-message mailbox cheap enough for every test run.
//
//   node seed.mjs --maildir STATE/mail/alice/Maildir --user alice --domain example.test --count 10000
//        [--seed 1] [--extra 0|1] [--attach-scale 1] [--years 3]
//
// Normally called by tests/support/seed-mailbox.ts, which also fixes ownership (the files must belong
// to the "mail" user) and makes Dovecot index the result (doveadm), so UIDs ascend with the date.
// Output is deterministic for a given --seed/--count (except the pid in file names).
//
// What you get (INBOX = --count messages; with --extra 1 also Archive = 20%, Work/Reports = 5%,
// Sent = 10% of count):
//   * ~15% text/plain only (7bit, quoted-printable or base64 UTF-8, some format=flowed)
//   * ~55% multipart/alternative (text + html)
//   * ~18% multipart/mixed with 1-3 attachments (pdf, png, jpeg, docx, xlsx, csv, zip, ics, txt,
//          message/rfc822), some with RFC 2231 / RFC 2047 non-ASCII file names
//   * ~5%  multipart/related html with inline cid: image, ~2% calendar invites, newsletters with
//          List-Id / List-Unsubscribe, ~0.3% with a 1-3 MB attachment
//   * non-ASCII From names and Subjects as RFC 2047 encoded-words (UTF-8 B/Q, ISO-8859-1 Q)
//   * threads: ~35% are replies carrying In-Reply-To / References (Re:/AW:/RE:/Fwd:)
//   * dates spread over --years years, mixed time zones, a few obsolete date formats;
//     INTERNALDATE (file mtime) = delivery time
//   * flags: \Seen (mostly on older mail), \Flagged, \Answered, keywords $Forwarded, $NotJunk, Important
import fs from 'node:fs';
import path from 'node:path';
import {
  b64wrap,
  encWordB,
  encWordQ,
  foldList,
  isAscii,
  JPEG_HEAD,
  latin1able,
  makePdf,
  PNGS,
  qpEncode,
  ZIP_HEAD,
} from './generated-mail-parts.mjs';

// ------------------------------------------------------------------ args
const args = Object.create(null);
for (let i = 2; i < process.argv.length; i++) {
  const a = process.argv[i];
  if (!a.startsWith('--')) continue;
  const [k, v] = a.includes('=') ? a.slice(2).split(/=(.*)/s) : [a.slice(2), process.argv[++i]];
  args[k] = v;
}
const MAILDIR = args.maildir;
const USER = (args.user || 'alice').toLowerCase();
const DOMAIN = args.domain || 'example.test';
const COUNT = parseInt(args.count ?? '1000', 10);
const SEED = parseInt(args.seed ?? '1', 10);
const EXTRA = (args.extra ?? '1') !== '0';
const ASCALE = parseFloat(args['attach-scale'] ?? '1');
const YEARS = parseFloat(args.years ?? '3');
if (!MAILDIR || !(COUNT >= 0)) {
  console.error(
    'usage: seed.mjs --maildir DIR --user NAME --domain DOMAIN --count N [--seed S] [--extra 0|1] [--attach-scale F] [--years Y]',
  );
  process.exit(2);
}

// ------------------------------------------------------------------ PRNG
let rs = (SEED * 2654435761) >>> 0 || 1;
function rnd() {
  // mulberry32
  rs = (rs + 0x6d2b79f5) >>> 0;
  let t = rs;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const ri = (a, b) => a + Math.floor(rnd() * (b - a + 1));
const pick = (arr) => arr[Math.floor(rnd() * arr.length)];
const chance = (p) => rnd() < p;
const logUniform = (a, b) => Math.round(Math.exp(Math.log(a) + rnd() * (Math.log(b) - Math.log(a))));
const hex = (n) => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(rnd() * 16)];
  return s;
};
const alnum = (n) => {
  const c = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let s = '';
  for (let i = 0; i < n; i++) s += c[Math.floor(rnd() * c.length)];
  return s;
};

// ------------------------------------------------------------------ random byte pool, pre-encoded
const POOL_BYTES = 57 * 65536; // 3.6 MiB -> 65536 base64 lines of 76 chars
const pool = Buffer.allocUnsafe(POOL_BYTES);
for (let i = 0; i < POOL_BYTES; i += 4) pool.writeUInt32LE(Math.floor(rnd() * 4294967296), i);
const POOL_B64 = pool.toString('base64').replace(/.{76}/g, '$&\n'); // every line 76 chars + \n
const POOL_LINES = POOL_BYTES / 57;

// base64 body of `total` bytes that starts with `prefix` and continues with pool data
function b64Blob(prefix, total) {
  total = Math.max(total, prefix.length);
  const pad = (57 - (prefix.length % 57)) % 57;
  const off = ri(0, POOL_BYTES - pad - 1);
  const head = Buffer.concat([prefix, pool.subarray(off, off + Math.min(pad, total - prefix.length))]);
  let out = b64wrap(head);
  let remainingLines = Math.ceil((total - head.length) / 57);
  while (remainingLines > 0) {
    const start = ri(0, POOL_LINES - 1);
    const n = Math.min(remainingLines, POOL_LINES - start);
    out += POOL_B64.slice(start * 77, (start + n) * 77);
    remainingLines -= n;
  }
  return out;
}

// ------------------------------------------------------------------ encoders that draw random numbers
function encodeHeaderText(s) {
  if (isAscii(s)) return s;
  const r = rnd();
  if (r < 0.15 && latin1able(s)) return encWordQ(s, 'ISO-8859-1').join('\n ');
  if (r < 0.5) return encWordQ(s).join('\n ');
  // mixed: keep a leading ASCII run (e.g. "Re: ") unencoded
  const m = /^([\x20-\x7e]*\s)(.*)$/s.exec(s);
  if (m && m[1].trim() && chance(0.5)) return m[1] + encWordB(m[2]).join('\n ');
  return encWordB(s).join('\n ');
}
function fmtAddr(p) {
  if (!p.name || chance(0.05)) return p.addr;
  if (isAscii(p.name))
    return /[,.;:()<>@"]/.test(p.name) || chance(0.5) ? `"${p.name}" <${p.addr}>` : `${p.name} <${p.addr}>`;
  return `${encodeHeaderText(p.name)} <${p.addr}>`;
}
function mimeParamName(key, filename) {
  // RFC 2231 for non-ASCII, plus an RFC 2047 legacy copy
  if (isAscii(filename)) return `${key}="${filename}"`;
  const pct = encodeURIComponent(filename).replace(
    /['()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  if (chance(0.5)) return `${key}*=UTF-8''${pct}`;
  return `${key}="${encWordB(filename).join(' ')}"`; // what many Outlook versions send
}

// ------------------------------------------------------------------ dates
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const TZS = [0, 0, 60, 60, 120, -300, -300, -240, -420, -480, 330, 540, 480, 180, 600];
const p2 = (n) => String(n).padStart(2, '0');
function rfcDate(ms, tzMin) {
  const d = new Date(ms + tzMin * 60000);
  const sign = tzMin < 0 ? '-' : '+';
  const a = Math.abs(tzMin);
  const tz = `${sign}${p2(Math.floor(a / 60))}${p2(a % 60)}`;
  const base = `${p2(d.getUTCDate())} ${MONS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
  const r = rnd();
  if (r < 0.01) return `${base} ${tzMin === 0 ? 'GMT' : tz}`; // no day-of-week
  if (r < 0.02 && tzMin === -480) return `${DAYS[d.getUTCDay()]}, ${base} -0800 (PST)`;
  if (r < 0.03)
    return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} ${tz}`;
  return `${DAYS[d.getUTCDay()]}, ${base} ${tz}`;
}

// ------------------------------------------------------------------ people & text
const me = { name: USER[0].toUpperCase() + USER.slice(1) + ' Example', addr: `${USER}@${DOMAIN}` };
const PEOPLE = [
  ['Bob Smith', `bob@${DOMAIN}`],
  ['Carol Jones', `carol@${DOMAIN}`],
  ['Alice Martin', 'alice.martin@corp.example'],
  ['Alice Nguyen', 'anguyen@partner.example'],
  ['David Brown', 'david.brown@corp.example'],
  ['Emma Wilson', 'emma@startup.example'],
  ['José García', 'jose.garcia@empresa.example'],
  ['Zoë Müller', 'zoe.mueller@firma.example'],
  ['Łukasz Wróbel', 'lukasz@firma.example'],
  ['François Lefèvre', 'f.lefevre@societe.example'],
  ['Søren Kierkegård', 'soren@nordic.example'],
  ['Ñuñez, Martín', 'mnunez@empresa.example'],
  ['田中 太郎', 'tanaka@kaisha.example'],
  ['山田 花子', 'hanako.yamada@kaisha.example'],
  ['Дмитрий Иванов', 'd.ivanov@kompaniya.example'],
  ['Αλέξανδρος Παπαδόπουλος', 'alex.p@etaireia.example'],
  ['김민준', 'minjun.kim@hoesa.example'],
  ['محمد علي', 'm.ali@sharika.example'],
  ["O'Brien, Siobhán", 'siobhan.obrien@corp.example'],
  ['Dr. Rajesh Kumar', 'rkumar@university.example'],
  ['Li Wei (李伟)', 'liwei@gongsi.example'],
  ['Grace Hopper', 'grace@navy.example'],
  ['Frank Miller', 'frank@corp.example'],
  ['Heidi Schäfer', 'heidi@firma.example'],
  ['Ivan Petrov', 'ivan@corp.example'],
  ['Julia Roberts', 'julia@agency.example'],
  ['Kenji Sato', 'kenji@kaisha.example'],
  ['Laura Bianchi', 'laura.bianchi@azienda.example'],
  ['Mateo Rossi', 'mateo@azienda.example'],
  ['Nora Lindqvist', 'nora@nordic.example'],
  [null, 'noreply@service.example'],
  ['IT Helpdesk', 'helpdesk@corp.example'],
  ['GitHub', 'notifications@git.example'],
].map(([name, addr]) => ({ name, addr }));
const LISTS = [
  {
    name: 'dev-list',
    id: 'Developers <dev-list.lists.example>',
    from: { name: 'dev-list', addr: 'dev-list@lists.example' },
  },
  {
    name: 'announce',
    id: 'Company announcements <announce.corp.example>',
    from: { name: 'Corp Announcements', addr: 'announce@corp.example' },
  },
  {
    name: 'Weekly Digest',
    id: 'Weekly Digest <digest.news.example>',
    from: { name: 'The Weekly Digest', addr: 'digest@news.example' },
    newsletter: true,
  },
  {
    name: 'Angebote',
    id: 'Angebote <angebote.shop.example>',
    from: { name: 'Shöp Angebote', addr: 'angebote@shop.example' },
    newsletter: true,
  },
];
const WORDS = (
  'the project team meeting schedule budget review report customer release update design server client ' +
  'database feature issue deadline plan quarter revenue marketing sales product support ticket deploy build test ' +
  'migration performance latency network storage backup security policy account invoice payment contract draft ' +
  'proposal agenda minutes action item follow up next week today tomorrow please thanks let me know if you have ' +
  'any questions we should could would will need want think agree discuss call office remote travel hotel flight ' +
  'conference slides demo prototype feedback priority blocker estimate timeline milestone roadmap launch campaign ' +
  'analytics dashboard metrics growth churn onboarding hiring interview candidate offer team lunch holiday vacation ' +
  'approval signature document spreadsheet presentation attachment version change request bug fix patch merge ' +
  'branch repository pipeline cluster kubernetes container cache index query throughput capacity incident outage ' +
  'postmortem root cause mitigation monitoring alert on-call rotation coffee morning afternoon evening Monday Friday'
).split(/\s+/);
const FOREIGN = [
  'Vielen Dank für die schnelle Rückmeldung. Können wir uns nächste Woche treffen, um die Änderungen zu besprechen?',
  'Merci pour votre message. Je vous envoie le document révisé dès que possible — à très bientôt.',
  '¿Podrías revisar el presupuesto antes del viernes? Gracias de antemano, señor.',
  'お疲れ様です。会議の議事録を添付しましたので、ご確認ください。よろしくお願いいたします。',
  'Добрый день! Прошу подтвердить получение отчёта до конца недели.',
  'Καλημέρα σας, σας στέλνω την αναφορά του τριμήνου.',
  'Tack för senast! Vi ses på mötet i morgon kl. 10.',
  '회의 자료를 첨부합니다. 확인 부탁드립니다.',
  'Emoji test: 🎉 release shipped 🚀 — café, naïve, résumé, Ærø, ß.',
];
const SUBJECTS = [
  'Weekly status report',
  'Q{q} sales report',
  'Incident report: {svc} outage',
  'Expense report for {mon}',
  'Monthly report – {mon} {y}',
  'Meeting notes {y}-{mm}-{dd}',
  'Budget review',
  'Project {proj} kickoff',
  'Invoice #{n}',
  'Your order {n} has shipped',
  'Lunch on {day}?',
  'Question about the {proj} deadline',
  'Design review for {proj}',
  'Draft proposal v{v}',
  'Offsite agenda',
  'Re-org announcement',
  'Password expiry notice',
  'Build failed: {proj} #{n}',
  'Interview feedback: candidate {n}',
  'Travel plans for {mon}',
  'Büroumzug nächste Woche',
  'Réunion de lancement – {proj}',
  'Presupuesto {y}',
  '会議の議事録 ({mm}/{dd})',
  'Отчёт за {mon}',
  'Rapport trimestriel Q{q}',
  'Αναφορά προόδου',
  'Urgent: contract signature needed',
  'Photos from the offsite 📸',
  'Vacation request {mm}/{dd}',
];
const PROJ = [
  'Atlas',
  'Borealis',
  'Cobalt',
  'Delta',
  'Everest',
  'Fjord',
  'Gemini',
  'Helios',
  'Ibis',
  'Juniper',
];
const SVC = ['API', 'database', 'login', 'payments', 'search', 'storage'];
const MONTHS_LONG = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
function fillSubject(t, ms) {
  const d = new Date(ms);
  return t
    .replace('{q}', ri(1, 4))
    .replace('{svc}', pick(SVC))
    .replace('{mon}', MONTHS_LONG[d.getUTCMonth()])
    .replace('{y}', d.getUTCFullYear())
    .replace('{mm}', p2(d.getUTCMonth() + 1))
    .replace('{dd}', p2(d.getUTCDate()))
    .replace('{proj}', pick(PROJ))
    .replace('{n}', ri(1000, 99999))
    .replace('{day}', pick(['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']))
    .replace('{v}', ri(2, 7));
}
function sentence() {
  const n = ri(6, 18);
  const w = [];
  for (let i = 0; i < n; i++) w.push(pick(WORDS));
  const s = w.join(' ');
  return s[0].toUpperCase() + s.slice(1) + pick(['.', '.', '.', '?', '!']);
}
function paragraphs(nMin, nMax, foreign) {
  const ps = [];
  for (let i = ri(nMin, nMax); i > 0; i--) {
    const ss = [];
    for (let j = ri(2, 6); j > 0; j--) ss.push(sentence());
    ps.push(ss.join(' '));
  }
  if (foreign) ps.splice(ri(0, ps.length), 0, pick(FOREIGN));
  return ps;
}
function wrap(text, width = 72) {
  return text
    .split('\n')
    .map((line) => {
      if (line.length <= width) return line;
      const out = [];
      let cur = '';
      for (const w of line.split(' ')) {
        if (cur && (cur + ' ' + w).length > width) {
          out.push(cur);
          cur = w;
        } else cur = cur ? cur + ' ' + w : w;
      }
      if (cur) out.push(cur);
      return out.join('\n');
    })
    .join('\n');
}
const escHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const firstName = (p) => (p.name ? p.name.replace(/^Dr\. /, '').split(/[ ,(]/)[0] : 'there');

// ------------------------------------------------------------------ MIME parts
let boundaryN = 0;
const newBoundary = () => `----=_Part_${++boundaryN}_${alnum(10)}.${alnum(6)}`;
function textPart(body, { flowed = false } = {}) {
  if (isAscii(body) && !/^.{999}/m.test(body)) {
    return `Content-Type: text/plain; charset=${chance(0.3) ? 'us-ascii' : 'utf-8'}${flowed ? '; format=flowed' : ''}\nContent-Transfer-Encoding: 7bit\n\n${body}\n`;
  }
  if (/[\u0400-\u04ff\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(body) && chance(0.5)) {
    return `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${b64wrap(Buffer.from(body, 'utf8'))}`;
  }
  return `Content-Type: text/plain; charset=utf-8${flowed ? '; format=flowed' : ''}\nContent-Transfer-Encoding: quoted-printable\n\n${qpEncode(body)}`;
}
function htmlPart(html) {
  if (isAscii(html) && chance(0.2))
    return `Content-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n${wrap(html, 900)}\n`;
  return `Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qpEncode(html)}`;
}
function multipart(sub, parts, extraParams = '') {
  const b = newBoundary();
  return (
    `Content-Type: multipart/${sub}; boundary="${b}"${extraParams}\n\n` +
    (chance(0.3) ? 'This is a multi-part message in MIME format.\n\n' : '') +
    parts.map((p) => `--${b}\n${p}`).join('\n') +
    `\n--${b}--\n`
  );
}
const ATTACH_TYPES = [
  {
    w: 22,
    ext: 'pdf',
    type: 'application/pdf',
    names: ['report', 'invoice', 'Übersicht {y}', 'contract_signed', 'slides', 'Résumé', '議事録'],
  },
  {
    w: 14,
    ext: 'png',
    type: 'image/png',
    names: ['screenshot', 'diagram', 'Bildschirmfoto {y}-{mm}-{dd}', 'logo'],
  },
  { w: 14, ext: 'jpg', type: 'image/jpeg', names: ['IMG_{n}', 'photo', 'DSC{n}', 'фото'] },
  {
    w: 10,
    ext: 'docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    names: ['proposal', 'minutes', 'Angebot {n}'],
  },
  {
    w: 10,
    ext: 'xlsx',
    type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    names: ['budget {y}', 'forecast', 'Q{q} numbers'],
  },
  { w: 7, ext: 'csv', type: 'text/csv', names: ['export', 'data {y}-{mm}', 'contacts'] },
  { w: 6, ext: 'zip', type: 'application/zip', names: ['logs', 'archive', 'build-{n}'] },
  { w: 5, ext: 'txt', type: 'text/plain', names: ['notes', 'readme', 'error log'] },
  { w: 4, ext: 'ics', type: 'text/calendar', names: ['invite'] },
  { w: 4, ext: 'eml', type: 'message/rfc822', names: ['Forwarded message'] },
  { w: 4, ext: 'bin', type: 'application/octet-stream', names: ['data', 'firmware-{n}'] },
];
const ATTACH_TOTAL_W = ATTACH_TYPES.reduce((a, t) => a + t.w, 0);
function pickAttachType() {
  let r = rnd() * ATTACH_TOTAL_W;
  for (const t of ATTACH_TYPES) {
    if ((r -= t.w) < 0) return t;
  }
  return ATTACH_TYPES[0];
}
function csvText(rows) {
  let s = 'date,account,amount,currency,note\n';
  for (let i = 0; i < rows; i++)
    s += `2024-${p2(ri(1, 12))}-${p2(ri(1, 28))},${ri(1000, 9999)},${(rnd() * 10000).toFixed(2)},${pick(['EUR', 'USD', 'JPY'])},${pick(['ok', 'pending', 'Überweisung', 'refund'])}\n`;
  return s;
}
function icsText(ms, summary) {
  const d = new Date(ms + 86400000 * ri(1, 14));
  const st = `${d.getUTCFullYear()}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}T${p2(ri(8, 16))}0000Z`;
  return `BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//estafeta//seed//EN\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:${hex(16)}@${DOMAIN}\nDTSTAMP:${st}\nDTSTART:${st}\nDURATION:PT1H\nSUMMARY:${summary.replace(/[,;\n]/g, ' ')}\nORGANIZER:mailto:${pick(PEOPLE).addr}\nATTENDEE;RSVP=TRUE:mailto:${me.addr}\nEND:VEVENT\nEND:VCALENDAR\n`;
}
function attachmentPart(ms, big) {
  const t = pickAttachType();
  const name = fillSubject(pick(t.names), ms) + '.' + t.ext;
  const size = Math.round((big ? ri(1_000_000, 3_000_000) : logUniform(4_000, 300_000)) * ASCALE);
  const disp = chance(0.9) ? 'attachment' : 'inline';
  const hdr = (ct, cte) =>
    `Content-Type: ${ct}; ${mimeParamName('name', name)}\nContent-Disposition: ${disp}; ${mimeParamName('filename', name)}${chance(0.3) ? `; size=${size}` : ''}\n${cte ? `Content-Transfer-Encoding: ${cte}\n` : ''}`;
  switch (t.ext) {
    case 'pdf':
      return hdr(t.type, 'base64') + '\n' + b64Blob(makePdf(name), size);
    case 'png':
      return chance(0.5)
        ? hdr(t.type, 'base64') + '\n' + b64wrap(pick(PNGS))
        : hdr(t.type, 'base64') + '\n' + b64Blob(PNGS[0].subarray(0, 33), size);
    case 'jpg':
      return hdr(t.type, 'base64') + '\n' + b64Blob(JPEG_HEAD, size);
    case 'docx':
    case 'xlsx':
    case 'zip':
      return hdr(t.type, 'base64') + '\n' + b64Blob(ZIP_HEAD, size);
    case 'bin':
      return hdr(t.type, 'base64') + '\n' + b64Blob(Buffer.alloc(0), size);
    case 'csv': {
      const txt = csvText(Math.max(3, Math.round(size / 45 / 4)));
      return chance(0.5)
        ? hdr(`${t.type}; charset=utf-8`, 'base64') + '\n' + b64wrap(Buffer.from(txt))
        : hdr(`${t.type}; charset=utf-8`, 'quoted-printable') + '\n' + qpEncode(txt);
    }
    case 'txt': {
      const txt = paragraphs(3, 12, chance(0.3)).join('\n\n') + '\n';
      const cte = chance(0.5) ? 'base64' : 'quoted-printable';
      return (
        hdr(`${t.type}; charset=utf-8`, cte) +
        '\n' +
        (cte === 'base64' ? b64wrap(Buffer.from(txt)) : qpEncode(txt))
      );
    }
    case 'ics':
      return `Content-Type: text/calendar; charset=utf-8; method=REQUEST; ${mimeParamName('name', name)}\nContent-Disposition: attachment; ${mimeParamName('filename', name)}\nContent-Transfer-Encoding: 7bit\n\n${icsText(ms, 'Meeting')}`;
    case 'eml': {
      const from = pick(PEOPLE);
      const inner = `From: ${fmtAddr(from)}\nTo: ${fmtAddr(pick(PEOPLE))}\nSubject: ${encodeHeaderText(fillSubject(pick(SUBJECTS), ms))}\nDate: ${rfcDate(ms - 86400000 * ri(1, 30), pick(TZS))}\nMessage-ID: <${hex(16)}@${from.addr.split('@')[1]}>\nMIME-Version: 1.0\n${textPart(wrap(paragraphs(1, 3, chance(0.3)).join('\n\n')))}`;
      return `Content-Type: message/rfc822; ${mimeParamName('name', name)}\nContent-Disposition: attachment; ${mimeParamName('filename', name)}\n\n${inner}`;
    }
  }
  return '';
}

// ------------------------------------------------------------------ message builder
const threads = []; // {subject, root, refs:[], participants:[], last}
let msgCounter = 0;
function buildMessage(ms, folder) {
  const isSent = folder === 'Sent';
  let list = null;
  let thread = null;
  let from;
  let to = [];
  let cc = [];
  let subject;
  let prefix = '';
  const recent = threads.length ? threads.slice(-60) : [];
  if (recent.length && chance(0.35)) {
    thread = pick(recent);
    from = isSent ? me : pick(thread.participants.filter((p) => p.addr !== me.addr).concat(pick(PEOPLE)));
    prefix = chance(0.08) ? 'Fwd: ' : pick(['Re: ', 'Re: ', 'Re: ', 'RE: ', 'AW: ', 'Re: ']);
    subject = prefix + thread.subject;
    list = thread.list;
  } else if (!isSent && chance(0.18)) {
    list = pick(LISTS);
    from = list.newsletter ? list.from : pick(PEOPLE.concat([{ name: me.name, addr: me.addr }]));
    subject = list.newsletter
      ? pick([
          `Your weekly digest #${ri(1, 300)}`,
          `This week: ${pick(PROJ)} news & report`,
          'Nur heute: 20 % Rabatt auf alles!',
          `New features in ${pick(PROJ)} ✨`,
        ])
      : `[${list.name}] ${fillSubject(pick(SUBJECTS), ms)}`;
  } else {
    from = isSent ? me : pick(PEOPLE);
    subject = fillSubject(pick(SUBJECTS), ms);
    if (folder === 'Work/Reports' && !/report/i.test(subject))
      subject = pick(['Weekly status report', 'Quarterly report', 'Incident report']) + ' ' + pick(PROJ);
  }
  if (isSent)
    to = [
      thread
        ? pick(thread.participants.filter((p) => p.addr !== me.addr).concat(pick(PEOPLE)))
        : pick(PEOPLE),
    ];
  else if (list) to = [list.from];
  else {
    to = [me];
    for (let i = ri(0, 3); i > 0; i--) to.push(pick(PEOPLE));
  }
  if (!list && chance(0.3)) for (let i = ri(1, 3); i > 0; i--) cc.push(pick(PEOPLE));
  to = [...new Map(to.map((p) => [p.addr, p])).values()];
  cc = cc.filter((p) => !to.some((q) => q.addr === p.addr) && p.addr !== from.addr);

  const fromDomain = from.addr.split('@')[1];
  const msgid = `<${ms.toString(36)}.${hex(12)}.${++msgCounter}@${chance(0.3) ? 'mail.' : ''}${fromDomain}>`;
  const tz = pick(TZS);
  const foreign = !isAscii(subject) || (from.name && !isAscii(from.name)) ? chance(0.7) : chance(0.08);

  // ---- body text
  const greet = `${pick(['Hi', 'Hello', 'Dear', 'Hey', 'Hallo', 'Bonjour'])} ${firstName(to[0])},`;
  const paras = list && list.newsletter ? paragraphs(5, 14, foreign) : paragraphs(1, 5, foreign);
  let textBody = `${greet}\n\n${paras.join('\n\n')}\n\n${pick(['Best regards', 'Thanks', 'Cheers', 'Viele Grüße', 'Cordialement', 'Best'])},\n${from.name || 'The team'}`;
  if (chance(0.3))
    textBody += `\n-- \n${from.name || ''}\n${pick(['Senior Engineer', 'Product Manager', 'Account Executive', 'CTO'])}, ${fromDomain}\n+1 555 ${ri(100, 999)} ${ri(1000, 9999)}`;
  let quoted = '';
  if (thread && !prefix.startsWith('Fwd')) {
    quoted =
      `On ${rfcDate(thread.lastMs, 0)}, ${thread.lastFrom.name || thread.lastFrom.addr} <${thread.lastFrom.addr}> wrote:\n` +
      wrap(thread.lastText)
        .split('\n')
        .slice(0, 30)
        .map((l) => '> ' + l)
        .join('\n');
  } else if (thread) {
    quoted = `---------- Forwarded message ---------\nFrom: ${thread.lastFrom.name || ''} <${thread.lastFrom.addr}>\nSubject: ${thread.subject}\n\n${wrap(thread.lastText).split('\n').slice(0, 30).join('\n')}`;
  }
  const flowed = chance(0.1);
  let textFull = wrap(textBody) + (quoted ? '\n\n' + quoted : '') + '\n';
  if (list && !list.newsletter)
    textFull += `_______________________________________________\n${list.name} mailing list\nhttps://lists.example/mailman/listinfo/${list.name}\n`;

  // ---- html
  const htmlParas = paras
    .map((p) => `<p>${escHtml(p).replace(/\b(deadline|report|invoice)\b/, '<b>$1</b>')}</p>`)
    .join('\n');
  let html;
  if (list && list.newsletter) {
    let rows = '';
    for (let i = ri(4, 12); i > 0; i--)
      rows += `<tr><td style="padding:12px;border-bottom:1px solid #eee"><h3 style="margin:0;font-family:Arial,sans-serif">${escHtml(sentence())}</h3><p style="color:#555">${escHtml(sentence())} <a href="https://news.example/a/${hex(8)}?utm_source=newsletter&amp;utm_medium=email">Read more</a></p></td></tr>\n`;
    html = `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escHtml(subject)}</title><style>body{margin:0;background:#f4f4f4} .c{max-width:600px;margin:auto;background:#fff}</style></head>\n<body><table class="c" width="100%" cellpadding="0" cellspacing="0"><tr><td style="background:#223;color:#fff;padding:20px"><h1>${escHtml(subject)}</h1></td></tr>\n${htmlParas}\n${rows}<tr><td style="font-size:11px;color:#999;padding:20px">You receive this because you subscribed. <a href="https://news.example/unsubscribe/${hex(16)}">Unsubscribe</a><img src="https://news.example/open/${hex(16)}.gif" width="1" height="1" alt=""></td></tr></table></body></html>`;
  } else {
    html =
      `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div dir="ltr"><div>${escHtml(greet)}</div>\n${htmlParas}\n<div>${escHtml(textBody.split('\n').slice(-1)[0])}</div>` +
      (quoted
        ? `\n<div class="gmail_quote"><blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">${escHtml(
            thread.lastText,
          )
            .split('\n\n')
            .map((p) => `<p>${p}</p>`)
            .join('')}</blockquote></div>`
        : '') +
      '</div></body></html>';
  }

  // ---- structure
  const r = rnd();
  let body;
  const isInvite = !list && chance(0.02);
  const big = chance(0.003);
  const wantAttach = big || (!list && chance(0.2));
  if (isInvite) {
    body = multipart('mixed', [
      multipart('alternative', [
        textPart(textFull),
        htmlPart(html),
        `Content-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: 7bit\n\n${icsText(ms, subject)}`,
      ]),
      `Content-Type: application/ics; name="invite.ics"\nContent-Disposition: attachment; filename="invite.ics"\nContent-Transfer-Encoding: base64\n\n${b64wrap(Buffer.from(icsText(ms, subject)))}`,
    ]);
  } else if (wantAttach) {
    const alt = chance(0.85)
      ? multipart('alternative', [textPart(textFull), htmlPart(html)])
      : textPart(textFull);
    const atts = [];
    for (let i = big ? 1 : pick([1, 1, 1, 2, 2, 3]); i > 0; i--)
      atts.push(attachmentPart(ms, big && i === 1));
    body = multipart('mixed', [alt, ...atts]);
  } else if (!list && chance(0.06)) {
    // html with inline image
    const cid = `${hex(8)}@${fromDomain}`;
    const rel = multipart(
      'related',
      [
        htmlPart(
          html.replace('</body>', `<p><img src="cid:${cid}" alt="chart" width="48" height="48"></p></body>`),
        ),
        `Content-Type: image/png; name="chart.png"\nContent-Transfer-Encoding: base64\nContent-ID: <${cid}>\nContent-Disposition: inline; filename="chart.png"\n\n${b64wrap(pick(PNGS))}`,
      ],
      '; type="text/html"',
    );
    body = multipart('alternative', [textPart(textFull), rel]);
  } else if (!list && r < 0.2) {
    body = textPart(textFull, { flowed });
  } else {
    body = multipart('alternative', [textPart(textFull, { flowed }), htmlPart(html)]);
  }

  // ---- headers
  const received = ms - ri(2, 300) * 1000;
  const h = [];
  if (!isSent) {
    h.push(
      `Return-Path: <${list ? `${list.from.addr.split('@')[0]}-bounces+${USER}=${DOMAIN}@${list.from.addr.split('@')[1]}` : from.addr}>`,
    );
    h.push(`Delivered-To: ${me.addr}`);
    h.push(
      `Received: from mail.${fromDomain} (mail.${fromDomain} [192.0.2.${ri(1, 254)}])\n\tby mail.${DOMAIN} (Postfix) with ESMTPS id ${alnum(11).toUpperCase()}\n\tfor <${me.addr}>; ${rfcDate(ms + ri(1, 90) * 1000, 0)}`,
    );
    if (chance(0.6))
      h.push(
        `Received: from [10.${ri(0, 255)}.${ri(0, 255)}.${ri(1, 254)}] (unknown [198.51.100.${ri(1, 254)}])\n\tby mail.${fromDomain} with ESMTPSA id ${hex(10)}; ${rfcDate(received, tz)}`,
      );
    if (chance(0.4))
      h.push(
        `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${fromDomain}; s=s${ri(1, 9)};\n\tt=${Math.floor(ms / 1000)}; h=from:to:subject:date:message-id;\n\tbh=${Buffer.from(hex(32)).toString('base64').slice(0, 44)};\n\tb=${b64Blob(
          Buffer.alloc(0),
          256,
        )
          .replace(/\n/g, '')
          .match(/.{1,70}/g)
          .join('\n\t ')}`,
      );
    if (chance(0.3)) h.push(`X-Spam-Status: No, score=${(rnd() * 3 - 1).toFixed(1)} required=5.0`);
  }
  h.push(`Date: ${rfcDate(ms, tz)}`);
  h.push(`From: ${fmtAddr(from)}`);
  h.push(foldList('To', to.map(fmtAddr)));
  if (cc.length) h.push(foldList('Cc', cc.map(fmtAddr)));
  if (chance(0.04)) h.push(`Reply-To: ${fmtAddr(pick(PEOPLE))}`);
  h.push(`Subject: ${encodeHeaderText(subject)}`);
  h.push(`Message-ID: ${msgid}`);
  if (thread) {
    if (!prefix.startsWith('Fwd')) h.push(`In-Reply-To: ${thread.lastId}`);
    const refs = thread.refs.length > 10 ? [thread.refs[0], ...thread.refs.slice(-9)] : thread.refs;
    h.push('References: ' + refs.join('\n '));
    if (chance(0.3)) h.push(`Thread-Topic: ${encodeHeaderText(thread.subject)}`);
  }
  if (list) {
    h.push(`List-Id: ${list.id}`);
    h.push(
      `List-Unsubscribe: <mailto:${list.from.addr.replace('@', '-unsubscribe@')}>, <https://${list.from.addr.split('@')[1]}/unsubscribe/${hex(12)}>`,
    );
    if (list.newsletter) h.push('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    h.push('Precedence: list');
  }
  h.push(
    pick([
      'X-Mailer: Microsoft Outlook 16.0',
      'User-Agent: Mozilla Thunderbird 115.3.1',
      'X-Mailer: Apple Mail (2.3731.700.6)',
      'X-Mailer: estafeta-seed',
      'User-Agent: Roundcube Webmail/1.6.5',
      'X-Mailer: Nodemailer (6.9.7)',
    ]),
  );
  if (chance(0.03)) h.push('X-Priority: 1 (Highest)\nImportance: High');
  h.push('MIME-Version: 1.0');
  const msg = h.join('\n') + '\n' + body;

  // ---- thread bookkeeping
  const text = paras.join('\n\n');
  if (thread) {
    thread.refs.push(msgid);
    thread.lastId = msgid;
    thread.lastText = text;
    thread.lastFrom = from;
    thread.lastMs = ms;
    if (!thread.participants.some((p) => p.addr === from.addr)) thread.participants.push(from);
  } else if (!(list && list.newsletter)) {
    threads.push({
      subject,
      list,
      refs: [msgid],
      lastId: msgid,
      lastText: text,
      lastFrom: from,
      lastMs: ms,
      participants: [from, ...to, ...cc],
    });
    if (threads.length > 500) threads.splice(0, 100);
  }
  return { msg, thread: !!thread, list, from };
}

// ------------------------------------------------------------------ maildir writing
const KEYWORDS = ['$Forwarded', '$NotJunk', 'Important'];
function mailboxDir(name) {
  if (name === 'INBOX') return MAILDIR;
  // Maildir++: ".A.B"; with the listescape plugin a literal '.' is stored as "\2e"
  return path.join(
    MAILDIR,
    '.' +
      name
        .split('/')
        .map((p) => p.replace(/\./g, '\\2e'))
        .join('.'),
  );
}
function keywordLetters(dir) {
  const file = path.join(dir, 'dovecot-keywords');
  const map = new Map();
  let lines = [];
  if (fs.existsSync(file)) {
    lines = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
    for (const l of lines) {
      const m = /^(\d+) (.+)$/.exec(l);
      if (m) map.set(m[2], +m[1]);
    }
  }
  let changed = false;
  for (const k of KEYWORDS) {
    if (!map.has(k)) {
      const idx = map.size ? Math.max(...map.values()) + 1 : 0;
      if (idx >= 26) continue;
      map.set(k, idx);
      lines.push(`${idx} ${k}`);
      changed = true;
    }
  }
  if (changed) fs.writeFileSync(file, lines.join('\n') + '\n');
  const out = {};
  for (const k of KEYWORDS) if (map.has(k)) out[k] = String.fromCharCode(97 + map.get(k));
  return out;
}
const HOST = 'estafeta-seed'; // the host part of Maildir file names
let seq = 0;
let totalBytes = 0;
let totalFiles = 0;
function writeFolder(folder, n, startMs, endMs) {
  const dir = mailboxDir(folder);
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  if (folder !== 'INBOX') fs.writeFileSync(path.join(dir, 'maildirfolder'), '');
  const kw = keywordLetters(dir);
  const now = Date.now();
  const span = endMs - startMs;
  for (let i = 0; i < n; i++) {
    const ms = Math.floor(startMs + ((i + rnd() * 0.9) / Math.max(n, 1)) * span);
    const { msg, list, thread } = buildMessage(ms, folder);
    const buf = Buffer.from(msg, 'utf8');
    let lf = 0;
    for (let j = buf.indexOf(10); j !== -1; j = buf.indexOf(10, j + 1)) lf++;
    const age = now - ms;
    let flags = '';
    const seen =
      folder === 'Sent' || folder === 'Archive' ? true : age > 30 * 86400000 ? chance(0.96) : chance(0.45);
    if (!list && chance(0.04)) flags += 'F';
    if (folder !== 'Sent' && thread && chance(0.25)) flags += 'R';
    else if (folder !== 'Sent' && !list && chance(0.08)) flags += 'R';
    if (seen) flags += 'S';
    let kws = '';
    if (kw.$Forwarded && chance(0.02)) kws += kw.$Forwarded;
    if (kw.$NotJunk && chance(0.05)) kws += kw.$NotJunk;
    if (kw.Important && chance(0.03)) kws += kw.Important;
    flags += kws.split('').sort().join('');
    const deliveredMs = ms + ri(1, 120) * 1000;
    const sec = Math.floor(deliveredMs / 1000);
    const base = `${sec}.M${(deliveredMs % 1000) * 1000 + ri(0, 999)}P${process.pid}Q${++seq}.${HOST},S=${buf.length},W=${buf.length + lf}`;
    const tmp = path.join(dir, 'tmp', base);
    fs.writeFileSync(tmp, buf);
    const dest = path.join(dir, 'cur', `${base}:2,${flags}`);
    fs.renameSync(tmp, dest);
    const t = new Date(deliveredMs);
    fs.utimesSync(dest, t, t);
    totalBytes += buf.length;
    totalFiles++;
  }
}

const t0 = Date.now();
const endMs = Date.now() - 3600_000;
const startMs = endMs - YEARS * 365.25 * 86400000;
const plan = [['INBOX', COUNT, startMs + (endMs - startMs) * 0.25, endMs]];
if (EXTRA) {
  plan.unshift(['Archive', Math.floor(COUNT * 0.2), startMs, startMs + (endMs - startMs) * 0.3]);
  plan.push(['Work/Reports', Math.floor(COUNT * 0.05), startMs, endMs]);
  plan.push(['Sent', Math.floor(COUNT * 0.1), startMs + (endMs - startMs) * 0.25, endMs]);
}
for (const [folder, n, a, b] of plan) if (n > 0) writeFolder(folder, n, a, b);
const secs = (Date.now() - t0) / 1000;
console.log(
  `seed: wrote ${totalFiles} messages (${(totalBytes / 1048576).toFixed(1)} MiB) for ${USER} in ${secs.toFixed(1)} s: ` +
    plan
      .filter((p) => p[1] > 0)
      .map(([f, n]) => `${f}=${n}`)
      .join(' '),
);
