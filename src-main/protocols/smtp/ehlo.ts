/**
 * What a submission server offers, read from its EHLO reply (RFC 5321 §4.1.1.1: the first line
 * names the server, each further line is one extension keyword with its parameters).
 */

export interface SmtpCapabilities {
  /** RFC 1870 SIZE: the largest message in octets, or null when the server sets no fixed limit. */
  maxSize: number | null;
  /** RFC 4954 AUTH: the SASL mechanisms offered, uppercase, in the server's order. */
  authMethods: string[];
  /** Every extension keyword, uppercase (PIPELINING, 8BITMIME, SMTPUTF8, ...). */
  extensions: string[];
}

/** "250-SIZE 52428800" -> "SIZE 52428800" (RFC 5321 §4.2.1: code, then "-" or " " on every line). */
const REPLY_PREFIX = /^\d{3}[ -]?/;

/**
 * Parses the reply nodemailer keeps as `lastServerResponse` right after EHLO: lines joined by
 * "\n", codes still on. A HELO reply (no extensions) yields an empty capability set.
 */
export function parseEhloReply(reply: string): SmtpCapabilities {
  const lines = reply
    .split(/\r?\n/)
    .map((line) => line.replace(REPLY_PREFIX, '').trim())
    .filter((line) => line !== '')
    .slice(1); // the greeting line: the server's name and free text
  let maxSize: number | null = null;
  const authMethods: string[] = [];
  const extensions: string[] = [];
  for (const line of lines) {
    const [keyword = '', ...params] = line.split(/[\s=]+/);
    const name = keyword.toUpperCase();
    if (!extensions.includes(name)) extensions.push(name);
    if (name === 'SIZE') {
      // RFC 1870 §4: no parameter, or 0, means no fixed maximum.
      const limit = Number(params[0] ?? '0');
      maxSize = Number.isSafeInteger(limit) && limit > 0 ? limit : null;
    } else if (name === 'AUTH') {
      // RFC 4954 §3; "AUTH=PLAIN LOGIN" is the pre-standard form some servers still send.
      for (const method of params) {
        const upper = method.toUpperCase();
        if (upper !== '' && !authMethods.includes(upper)) authMethods.push(upper);
      }
    }
  }
  return { maxSize, authMethods, extensions };
}
