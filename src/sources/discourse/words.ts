// Quoted text is someone else's words; a word is a run with at least one letter or digit.
const QUOTE = /\[quote[^\]]*\][\s\S]*?\[\/quote\]/gi;
const HTML_QUOTE = /<aside class="quote[\s\S]*?<\/aside>/gi;
const TAG = /<[^>]*>/g;
const WORD = /[\p{L}\p{N}]/u;

/** Words a member wrote in a post: from the raw Markdown when given, else from the cooked HTML; quotes excluded. */
export function countWords(raw: string | undefined, cooked: string | undefined): number {
  const text = raw !== undefined ? raw.replace(QUOTE, ' ') : (cooked ?? '').replace(HTML_QUOTE, ' ').replace(TAG, ' ');
  let words = 0;
  for (const token of text.split(/\s+/)) if (WORD.test(token)) words += 1;
  return words;
}
