/** Case and accent folding for names typed in a query (in:Réunion, account:Müller). */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
