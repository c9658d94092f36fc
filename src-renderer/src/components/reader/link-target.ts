/**
 * Which links in mail may open at all: web and mail links only (javascript:, data:, file:,
 * relative and malformed targets never do). No DOM here, so the rule is tested in plain Node.
 */
const OPENABLE_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

/** The absolute URL a link may open, or null. */
export function openableUrl(href: string | null | undefined): string | null {
  if (!href) return null;
  try {
    const url = new URL(href.trim());
    return OPENABLE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}
