/**
 * The Content-Security-Policy of the app's own pages, written once: Electron sets it as a response
 * header on its session, browser mode sends it with every file it serves, and index.html carries
 * the same policy in a meta tag for the first paint. Mail HTML never runs under this policy alone:
 * it is shown in a sandboxed iframe with a stricter one of its own.
 */
export interface ContentPolicyOptions {
  /** Browser mode: the WebSocket origin the page may connect to, e.g. "ws://127.0.0.1:4123". */
  webSocketOrigin?: string;
}

export function contentSecurityPolicy(options: ContentPolicyOptions = {}): string {
  const connect = ["'self'", options.webSocketOrigin].filter((s): s is string => Boolean(s)).join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    // Svelte sets style attributes while rendering; no style can load code, so inline styles are safe.
    "style-src 'self' 'unsafe-inline'",
    // http: and https: only because the mail frame (srcdoc) inherits this policy: the frame's own,
    // stricter policy allows them solely after "Load remote content", and the app itself never
    // shows a remote image (Svelte renders no HTML from data; mail HTML is sanitised in main).
    "img-src 'self' data: blob: https: http:",
    "font-src 'self'",
    `connect-src ${connect}`,
    "frame-src 'self' blob:",
    "media-src 'none'",
    "object-src 'none'",
    "worker-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
