/**
 * One realistic message at a time (ported from the test mail server's seed.mjs): ~15% plain text,
 * ~55% multipart/alternative, ~18% with 1-3 attachments (some RFC 2231/2047 names, some
 * message/rfc822), inline cid: images, list mail and newsletters, RFC 2047 headers, threads with
 * In-Reply-To/References, a few 1-3 MB attachments.
 */
import { BlobPool, JPEG_HEAD, makePdf, PNGS, ZIP_HEAD } from './binary-samples';
import {
  DOMAIN,
  escapeHtml,
  fillTemplate,
  firstName,
  LISTS,
  ME,
  paragraphs,
  PEOPLE,
  PROJECTS,
  sentence,
  SUBJECTS,
  wrap,
} from './content';
import type { MailingList } from './content';
import {
  b64wrap,
  encodeHeaderText,
  foldAddressList,
  formatAddress,
  isAscii,
  mimeParameter,
  qpEncode,
  rfcDate,
} from './encoders';
import type { Person } from './encoders';
import type { Random } from './random';

const ZONES = [0, 0, 60, 60, 120, -300, -300, -240, -420, -480, 330, 540, 480, 180, 600];
const MAX_OPEN_THREADS = 500;

interface Thread {
  subject: string;
  list: MailingList | null;
  refs: string[];
  lastId: string;
  lastText: string;
  lastFrom: Person;
  participants: Person[];
}

export interface BuiltMessage {
  text: string;
  messageId: string;
  isSeen: boolean;
  isFlagged: boolean;
}

interface AttachmentType {
  weight: number;
  ext: string;
  type: string;
  names: string[];
}

const ATTACHMENT_TYPES: readonly AttachmentType[] = [
  {
    weight: 22,
    ext: 'pdf',
    type: 'application/pdf',
    names: ['report', 'invoice', 'Übersicht {y}', 'contract_signed', 'Résumé', '議事録'],
  },
  {
    weight: 14,
    ext: 'png',
    type: 'image/png',
    names: ['screenshot', 'diagram', 'Bildschirmfoto {y}-{mm}-{dd}'],
  },
  { weight: 14, ext: 'jpg', type: 'image/jpeg', names: ['IMG_{n}', 'photo', 'фото'] },
  {
    weight: 20,
    ext: 'docx',
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    names: ['proposal', 'Angebot {n}'],
  },
  { weight: 7, ext: 'csv', type: 'text/csv', names: ['export', 'data {y}-{mm}'] },
  { weight: 6, ext: 'zip', type: 'application/zip', names: ['logs', 'build-{n}'] },
  { weight: 5, ext: 'txt', type: 'text/plain', names: ['notes', 'error log'] },
  { weight: 4, ext: 'eml', type: 'message/rfc822', names: ['Forwarded message'] },
];
const ATTACHMENT_WEIGHT = ATTACHMENT_TYPES.reduce((sum, t) => sum + t.weight, 0);

export class MessageBuilder {
  private readonly blobs: BlobPool;
  private readonly threads: Thread[] = [];
  private boundaryCount = 0;
  private messageCount = 0;

  constructor(private readonly random: Random) {
    this.blobs = new BlobPool(random);
  }

  build(ms: number): BuiltMessage {
    const r = this.random;
    let thread: Thread | null = null;
    let list: MailingList | null = null;
    let from: Person;
    let subject: string;
    let prefix = '';
    const recent = this.threads.slice(-60);
    if (recent.length > 0 && r.chance(0.35)) {
      thread = r.pick(recent);
      from = r.pick([...thread.participants.filter((p) => p.addr !== ME.addr), r.pick(PEOPLE)]);
      prefix = r.chance(0.08) ? 'Fwd: ' : r.pick(['Re: ', 'Re: ', 'RE: ', 'AW: ']);
      subject = prefix + thread.subject;
      list = thread.list;
    } else if (r.chance(0.18)) {
      list = r.pick(LISTS);
      from = list.isNewsletter ? list.from : r.pick(PEOPLE);
      subject = list.isNewsletter
        ? r.pick([
            `Your weekly digest #${r.int(1, 300)}`,
            `This week: ${r.pick(PROJECTS)} news`,
            'Nur heute: 20 % Rabatt auf alles!',
          ])
        : `[${list.name}] ${fillTemplate(r, r.pick(SUBJECTS), ms)}`;
    } else {
      from = r.pick(PEOPLE);
      subject = fillTemplate(r, r.pick(SUBJECTS), ms);
    }
    let to: Person[] = list ? [list.from] : [ME];
    if (!list) for (let i = r.int(0, 3); i > 0; i--) to.push(r.pick(PEOPLE));
    to = [...new Map(to.map((p) => [p.addr, p])).values()];
    const cc: Person[] = [];
    if (!list && r.chance(0.3)) for (let i = r.int(1, 3); i > 0; i--) cc.push(r.pick(PEOPLE));
    const ccUnique = cc.filter((p) => !to.some((q) => q.addr === p.addr) && p.addr !== from.addr);

    const fromDomain = from.addr.split('@')[1]!;
    const messageId = `${ms.toString(36)}.${r.hex(12)}.${++this.messageCount}@${fromDomain}`;
    const foreign = /[^\x00-\x7f]/.test(subject) ? r.chance(0.7) : r.chance(0.08);
    const greeting = `${r.pick(['Hi', 'Hello', 'Dear', 'Hallo', 'Bonjour'])} ${firstName(to[0]!)},`;
    const paras = list?.isNewsletter ? paragraphs(r, 5, 14, foreign) : paragraphs(r, 1, 5, foreign);
    const signOff = `${r.pick(['Best regards', 'Thanks', 'Cheers', 'Viele Grüße', 'Cordialement'])},\n${from.name ?? 'The team'}`;
    let quoted = '';
    if (thread) {
      quoted = prefix.startsWith('Fwd')
        ? `---------- Forwarded message ---------\nFrom: <${thread.lastFrom.addr}>\n\n${wrap(thread.lastText)}`
        : `On an earlier day, ${thread.lastFrom.name ?? thread.lastFrom.addr} wrote:\n${wrap(thread.lastText)
            .split('\n')
            .slice(0, 30)
            .map((l) => `> ${l}`)
            .join('\n')}`;
    }
    const textBody = `${wrap(`${greeting}\n\n${paras.join('\n\n')}\n\n${signOff}`)}${quoted ? `\n\n${quoted}` : ''}\n`;
    const html = this.html(subject, greeting, paras, list);

    let body: string;
    const isBig = r.chance(0.003);
    const hasAttachments = isBig || (!list && r.chance(0.2));
    const hasInlineImage = !hasAttachments && !list && r.chance(0.06);
    const isPlainOnly = !hasAttachments && !hasInlineImage && !list && r.chance(0.2);
    if (hasAttachments) {
      const alternative = r.chance(0.85)
        ? this.multipart('alternative', [this.textPart(textBody), this.htmlPart(html)])
        : this.textPart(textBody);
      const attachments: string[] = [];
      for (let i = isBig ? 1 : r.pick([1, 1, 1, 2, 2, 3]); i > 0; i--)
        attachments.push(this.attachment(ms, isBig && i === 1));
      body = this.multipart('mixed', [alternative, ...attachments]);
    } else if (hasInlineImage) {
      const cid = `${r.hex(8)}@${fromDomain}`;
      const image = `Content-Type: image/png; name="chart.png"\nContent-Transfer-Encoding: base64\nContent-ID: <${cid}>\nContent-Disposition: inline; filename="chart.png"\n\n${b64wrap(r.pick(PNGS))}`;
      const related = this.multipart('related', [
        this.htmlPart(html.replace('</body>', `<img src="cid:${cid}" width="48" height="48"></body>`)),
        image,
      ]);
      body = this.multipart('alternative', [this.textPart(textBody), related]);
    } else if (isPlainOnly) {
      body = this.textPart(textBody);
    } else {
      body = this.multipart('alternative', [this.textPart(textBody), this.htmlPart(html)]);
    }

    const headers: string[] = [
      `Return-Path: <${from.addr}>`,
      `Received: from mail.${fromDomain} (mail.${fromDomain} [192.0.2.${r.int(1, 254)}])\n\tby mail.${DOMAIN} (Postfix) with ESMTPS id ${r.alnum(11).toUpperCase()}\n\tfor <${ME.addr}>; ${rfcDate(r, ms + 30_000, 0)}`,
      `Date: ${rfcDate(r, ms, r.pick(ZONES))}`,
      `From: ${formatAddress(r, from)}`,
      foldAddressList(
        'To',
        to.map((p) => formatAddress(r, p)),
      ),
    ];
    if (ccUnique.length > 0)
      headers.push(
        foldAddressList(
          'Cc',
          ccUnique.map((p) => formatAddress(r, p)),
        ),
      );
    headers.push(`Subject: ${encodeHeaderText(r, subject)}`, `Message-ID: <${messageId}>`);
    if (thread) {
      if (!prefix.startsWith('Fwd')) headers.push(`In-Reply-To: <${thread.lastId}>`);
      const refs = thread.refs.length > 10 ? [thread.refs[0]!, ...thread.refs.slice(-9)] : thread.refs;
      headers.push(`References: ${refs.map((id) => `<${id}>`).join('\n ')}`);
    }
    if (list)
      headers.push(
        `List-Id: ${list.id}`,
        `List-Unsubscribe: <mailto:${list.from.addr.replace('@', '-unsubscribe@')}>`,
      );
    headers.push(
      r.pick([
        'X-Mailer: Microsoft Outlook 16.0',
        'User-Agent: Mozilla Thunderbird 115.3.1',
        'X-Mailer: Apple Mail (2.3731.700.6)',
      ]),
    );
    headers.push('MIME-Version: 1.0');
    const isSeen = r.chance(0.8);
    const isFlagged = !list && r.chance(0.04);

    const plainText = paras.join('\n\n');
    if (thread) {
      thread.refs.push(messageId);
      thread.lastId = messageId;
      thread.lastText = plainText;
      thread.lastFrom = from;
      if (!thread.participants.some((p) => p.addr === from.addr)) thread.participants.push(from);
    } else if (!list?.isNewsletter) {
      this.threads.push({
        subject,
        list,
        refs: [messageId],
        lastId: messageId,
        lastText: plainText,
        lastFrom: from,
        participants: [from, ...to, ...ccUnique],
      });
      if (this.threads.length > MAX_OPEN_THREADS) this.threads.splice(0, 100);
    }
    return { text: `${headers.join('\n')}\n${body}`, messageId, isSeen, isFlagged };
  }

  private html(subject: string, greeting: string, paras: string[], list: MailingList | null): string {
    const r = this.random;
    const htmlParas = paras.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n');
    if (list?.isNewsletter) {
      let rows = '';
      for (let i = r.int(4, 12); i > 0; i--) {
        rows += `<tr><td style="padding:12px;border-bottom:1px solid #eee"><h3 style="margin:0">${escapeHtml(sentence(r))}</h3><p style="color:#555">${escapeHtml(sentence(r))} <a href="https://news.example/a/${r.hex(8)}?utm_source=newsletter">Read more</a></p></td></tr>\n`;
      }
      return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title><style>body{margin:0;background:#f4f4f4} .c{max-width:600px;margin:auto;background:#fff}</style></head>\n<body><table class="c" width="100%"><tr><td style="background:#223;color:#fff;padding:20px"><h1>${escapeHtml(subject)}</h1></td></tr>\n${htmlParas}\n${rows}<tr><td><a href="https://news.example/unsubscribe/${r.hex(16)}">Unsubscribe</a><img src="https://news.example/open/${r.hex(16)}.gif" width="1" height="1" alt=""></td></tr></table></body></html>`;
    }
    return `<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body><div dir="ltr"><div>${escapeHtml(greeting)}</div>\n${htmlParas}\n</div></body></html>`;
  }

  private boundary(): string {
    return `----=_Part_${++this.boundaryCount}_${this.random.alnum(10)}.${this.random.alnum(6)}`;
  }

  private multipart(subtype: string, parts: readonly string[]): string {
    const b = this.boundary();
    const preamble = this.random.chance(0.3) ? 'This is a multi-part message in MIME format.\n\n' : '';
    return `Content-Type: multipart/${subtype}; boundary="${b}"\n\n${preamble}${parts.map((p) => `--${b}\n${p}`).join('\n')}\n--${b}--\n`;
  }

  private textPart(body: string): string {
    if (isAscii(body))
      return `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 7bit\n\n${body}\n`;
    if (this.random.chance(0.3))
      return `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n${b64wrap(Buffer.from(body, 'utf8'))}`;
    return `Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qpEncode(body)}`;
  }

  private htmlPart(html: string): string {
    return `Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${qpEncode(html)}`;
  }

  private attachment(ms: number, isBig: boolean): string {
    const r = this.random;
    let roll = r.next() * ATTACHMENT_WEIGHT;
    const type = ATTACHMENT_TYPES.find((t) => (roll -= t.weight) < 0) ?? ATTACHMENT_TYPES[0]!;
    const name = `${fillTemplate(r, r.pick(type.names), ms)}.${type.ext}`;
    const size = isBig ? r.int(1_000_000, 3_000_000) : r.logUniform(4_000, 300_000);
    const disposition = r.chance(0.9) ? 'attachment' : 'inline';
    const header = (contentType: string, encoding: string | null): string =>
      `Content-Type: ${contentType}; ${mimeParameter(r, 'name', name)}\nContent-Disposition: ${disposition}; ${mimeParameter(r, 'filename', name)}\n${encoding ? `Content-Transfer-Encoding: ${encoding}\n` : ''}`;
    switch (type.ext) {
      case 'pdf':
        return `${header(type.type, 'base64')}\n${this.blobs.base64(makePdf(name), size)}`;
      case 'png':
        return `${header(type.type, 'base64')}\n${b64wrap(r.pick(PNGS))}`;
      case 'jpg':
        return `${header(type.type, 'base64')}\n${this.blobs.base64(JPEG_HEAD, size)}`;
      case 'docx':
      case 'zip':
        return `${header(type.type, 'base64')}\n${this.blobs.base64(ZIP_HEAD, size)}`;
      case 'csv': {
        let csv = 'date,account,amount\n';
        for (let i = Math.max(3, Math.round(size / 180)); i > 0; i--)
          csv += `2024-0${r.int(1, 9)}-1${r.int(0, 9)},${r.int(1000, 9999)},${(r.next() * 1e4).toFixed(2)}\n`;
        return `${header(`${type.type}; charset=utf-8`, 'quoted-printable')}\n${qpEncode(csv)}`;
      }
      case 'txt':
        return `${header(`${type.type}; charset=utf-8`, 'base64')}\n${b64wrap(Buffer.from(paragraphs(r, 3, 12, r.chance(0.3)).join('\n\n')))}`;
      default: {
        const sender = r.pick(PEOPLE);
        const inner = `From: ${formatAddress(r, sender)}\nTo: ${formatAddress(r, ME)}\nSubject: ${encodeHeaderText(r, fillTemplate(r, r.pick(SUBJECTS), ms))}\nDate: ${rfcDate(r, ms - 86_400_000 * r.int(1, 30), r.pick(ZONES))}\nMessage-ID: <${r.hex(16)}@${sender.addr.split('@')[1]}>\nMIME-Version: 1.0\n${this.textPart(wrap(paragraphs(r, 1, 3, false).join('\n\n')))}`;
        return `Content-Type: message/rfc822; ${mimeParameter(r, 'name', name)}\nContent-Disposition: attachment; ${mimeParameter(r, 'filename', name)}\n\n${inner}`;
      }
    }
  }
}
