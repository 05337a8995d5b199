/**
 * Find within the open recording's transcript, as a browser's find does within a page: the
 * lines holding what was typed are marked, a count says how many, and Enter (or the buttons)
 * goes from one to the next, bringing it into view and playing from it. Nothing is asked of
 * the server: the lines are already on the page.
 */

import { el, setMessage } from "./dom.js";

const find = {
  /** @type {HTMLInputElement|null} */
  input: null,
  /** @type {HTMLElement|null} */
  list: null,
  /** @type {HTMLElement|null} */
  count: null,
  /** @type {HTMLElement[]} the lines that match, in order */
  found: [],
  at: -1,
  /** @type {(lineId: number) => void} */
  playLine: () => {},
};

/**
 * A line's text with every place the phrase occurs wrapped in <mark> (no HTML parsing).
 * @param {string} text
 * @param {string} phrase lower-case, not empty
 * @returns {DocumentFragment}
 */
function marked(text, phrase) {
  const fragment = document.createDocumentFragment();
  const lower = text.toLocaleLowerCase();
  let from = 0;
  for (let at = lower.indexOf(phrase); at >= 0; at = lower.indexOf(phrase, from)) {
    if (at > from) fragment.append(text.slice(from, at));
    fragment.append(el("mark", {}, [text.slice(at, at + phrase.length)]));
    from = at + phrase.length;
  }
  if (from < text.length) fragment.append(text.slice(from));
  return fragment;
}

/** Marks the lines that hold the phrase typed, and says how many there are. */
function markMatches() {
  const input = find.input;
  const list = find.list;
  const count = find.count;
  if (!input || !list || !count) return;
  const phrase = input.value.trim().toLocaleLowerCase();
  find.found = [];
  find.at = -1;
  for (const line of list.querySelectorAll("li.segment")) {
    const item = /** @type {HTMLElement} */ (line);
    const text = item.querySelector(".segment__text");
    if (!text) continue;
    const said = item.dataset.said ?? text.textContent ?? "";
    item.dataset.said = said;
    const hit = phrase !== "" && said.toLocaleLowerCase().includes(phrase);
    item.classList.toggle("is-match", hit);
    item.classList.remove("is-found");
    text.replaceChildren(hit ? marked(said, phrase) : said);
    if (hit) find.found.push(item);
  }
  if (!phrase) setMessage(count, "");
  else if (!find.found.length) setMessage(count, `No line says “${input.value.trim()}”.`);
  else setMessage(count, `${find.found.length} ${find.found.length === 1 ? "line" : "lines"}`);
}

/**
 * Goes to the next (or previous) matching line and plays from it.
 * @param {1|-1} direction
 */
function go(direction) {
  if (!find.found.length || !find.count) return;
  find.found[find.at]?.classList.remove("is-found");
  find.at = (find.at + direction + find.found.length) % find.found.length;
  const line = find.found[find.at];
  line.classList.add("is-found");
  line.scrollIntoView({ block: "nearest" });
  setMessage(find.count, `${find.at + 1} of ${find.found.length}`);
  find.playLine(Number(line.dataset.id));
}

/**
 * Starts again on a newly shown transcript: its lines are new, what was typed stays.
 */
export function refreshFind() {
  markMatches();
}

/**
 * Wires the find box to the transcript's list of lines.
 * @param {{input: HTMLInputElement, list: HTMLElement, count: HTMLElement,
 *   previous: HTMLElement, next: HTMLElement, playLine: (lineId: number) => void}} parts
 */
export function bindTranscriptFind(parts) {
  Object.assign(find, parts);
  parts.input.addEventListener("input", markMatches);
  parts.input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      go(event.shiftKey ? -1 : 1);
    } else if (event.key === "Escape" && parts.input.value) {
      event.preventDefault();
      parts.input.value = "";
      markMatches();
    }
  });
  parts.previous.addEventListener("click", () => go(-1));
  parts.next.addEventListener("click", () => go(1));
}
