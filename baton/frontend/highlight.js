/**
 * Marking the words a reader looked for: in search hits, and in the evidence of a suggested tag.
 */

import { el } from "./dom.js";

/** Common words not worth highlighting in search results. */
const STOP_WORDS = new Set(
  (
    "a an and are as at be but by can do does for from had has have how i if in is it its me my " +
    "no not of on or our so that the their them then there they this to was we were what when " +
    "where which who why will with you your"
  ).split(" "),
);

/** A run of letters or digits, in any script. */
const WORD_PATTERN = /[\p{L}\p{N}]+/gu;
/** Splits text into alternating separators and words (the capture keeps the words). */
const WORD_SPLIT = /([\p{L}\p{N}]+)/u;

/**
 * The lower-case words of a query worth highlighting (stop words dropped unless that
 * would leave nothing).
 * @param {string} query
 * @returns {string[]}
 */
export function queryTerms(query) {
  const words = [...new Set(query.toLocaleLowerCase().match(WORD_PATTERN) ?? [])];
  const meaningful = words.filter((word) => !STOP_WORDS.has(word));
  return meaningful.length > 0 ? meaningful : words;
}

/**
 * Whether a word of the text matches a query term: whole word for short terms, prefix
 * for longer ones ("valve" marks "valves").
 * @param {string} word
 * @param {string[]} terms lower-case
 * @returns {boolean}
 */
function matchesTerm(word, terms) {
  const lower = word.toLocaleLowerCase();
  return terms.some((term) => (term.length >= 3 ? lower.startsWith(term) : lower === term));
}

/**
 * The text as DOM nodes with the query's words wrapped in <mark> (no HTML parsing).
 * @param {string} text
 * @param {string[]} terms
 * @returns {DocumentFragment}
 */
export function highlightText(text, terms) {
  const fragment = document.createDocumentFragment();
  let plain = "";
  text.split(WORD_SPLIT).forEach((part, index) => {
    const isWord = index % 2 === 1;
    if (isWord && terms.length > 0 && matchesTerm(part, terms)) {
      if (plain) fragment.append(plain);
      plain = "";
      fragment.append(el("mark", {}, [part]));
    } else {
      plain += part;
    }
  });
  if (plain) fragment.append(plain);
  return fragment;
}
