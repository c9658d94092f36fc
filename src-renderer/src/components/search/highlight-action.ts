/**
 * A Svelte action that marks the searched words in the text under an element (the reader: headers
 * and the plain-text body) with the CSS Custom Highlight API: no DOM is changed, so the reader's own
 * components need not know about search. It re-marks when the content changes (a message opened).
 * Mail HTML lives in a sandboxed iframe, a separate document no code of ours reaches into: there
 * only the headers are marked.
 */
import { findMatches } from './highlight-matches';

export const HIGHLIGHT_NAME = 'search-match';
/** Text nodes looked at per marking pass: bounded for a huge plain-text message. */
const MAX_TEXT_NODES = 20_000;

function supportsHighlights(): boolean {
  return typeof CSS !== 'undefined' && 'highlights' in CSS && typeof Highlight !== 'undefined';
}

function mark(root: Element, terms: readonly string[]): void {
  if (!supportsHighlights()) return;
  if (terms.length === 0) {
    CSS.highlights.delete(HIGHLIGHT_NAME);
    return;
  }
  const ranges: Range[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let count = 0; count < MAX_TEXT_NODES; count++) {
    const node = walker.nextNode();
    if (node === null) break;
    const text = node.textContent ?? '';
    for (const [start, end] of findMatches(text, terms)) {
      const range = document.createRange();
      range.setStart(node, start);
      range.setEnd(node, end);
      ranges.push(range);
    }
  }
  CSS.highlights.set(HIGHLIGHT_NAME, new Highlight(...ranges));
}

export function highlightMatches(node: HTMLElement, terms: readonly string[]) {
  let current = terms;
  let frame = 0;
  const schedule = (): void => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => mark(node, current));
  };
  const observer = new MutationObserver(schedule);
  observer.observe(node, { childList: true, subtree: true, characterData: true });
  schedule();
  return {
    update(next: readonly string[]): void {
      current = next;
      schedule();
    },
    destroy(): void {
      observer.disconnect();
      cancelAnimationFrame(frame);
      if (supportsHighlights()) CSS.highlights.delete(HIGHLIGHT_NAME);
    },
  };
}
