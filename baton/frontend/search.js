/**
 * Searching what was said: results as you type, narrowed by pair, goal, topic, who said it and
 * date; hits grouped by session with the matched words marked, each playing in place from its
 * start; and "this did not answer my question", which feeds the curators' search-gaps report.
 */

import { byId, el, formatTime, isTyping, setMessage } from "./dom.js";
import { highlightText, queryTerms } from "./highlight.js";
import { API, requestJson, sendJson } from "./http.js";

const SEARCH_DEBOUNCE_MS = 400;
const SEARCH_MIN_CHARS = 3;
const SEARCH_LIMIT = 10;

/**
 * @typedef {object} Hit
 * @property {string} recording_id
 * @property {string} title
 * @property {number} start seconds: where the passage begins
 * @property {number} end seconds
 * @property {string} text the whole passage
 * @property {number} play_from seconds: the answer, or its speaker's turn just before it
 * @property {{start: number, end: number, text: string}|null} [answer] the answering sentence
 * @property {number} score
 * @property {string[]} goal_ids
 * @property {string[]} topic_ids
 * @property {{name: string}[]} speakers the main speaker first
 * @property {MatchReason} [why]
 */

/**
 * Why a hit came up, as the server says.
 * @typedef {object} MatchReason
 * @property {number|null} similarity cosine of passage and question
 * @property {number|null} keyword_score
 * @property {string[]} matched_words the passage's words the question shares
 */

/** @typedef {{id: string, name: string, count: number}} FacetValue */

const ui = {
  form: /** @type {HTMLFormElement} */ (byId("search-form")),
  input: /** @type {HTMLInputElement} */ (byId("search-input")),
  filters: /** @type {HTMLDetailsElement} */ (byId("search-filters")),
  filterCount: byId("filter-count"),
  clearFilters: byId("filter-clear"),
  message: byId("search-message"),
  hits: byId("hits"),
  feedback: byId("search-feedback"),
  notAnswered: /** @type {HTMLButtonElement} */ (byId("not-answered")),
  feedbackMessage: byId("feedback-message"),
};

/** @type {(HTMLSelectElement|HTMLInputElement)[]} every filter control, with its data-param */
const filterControls = [
  ...ui.filters.querySelectorAll("select[data-param], input[data-param]"),
].map((node) => /** @type {HTMLSelectElement|HTMLInputElement} */ (node));

const search = {
  timer: 0,
  /** @type {AbortController|null} */
  controller: null,
  /** The query and filters of the results shown, so the same search is not sent twice. */
  lastKey: "",
  /** @type {string} the server's id of the results shown, for feedback */
  searchId: "",
  /** @type {Map<string, string>} goal and topic names by id, from the last answer's facets */
  names: new Map(),
  /** @type {(moment: {id: string, title: string|null, start: number}) => void} */
  play: () => {},
};

/* ---------- Filters ---------- */

/** @returns {URLSearchParams} the chosen filters, as the search API takes them */
function filterParams() {
  const params = new URLSearchParams();
  for (const control of filterControls) {
    if (control.value) params.append(control.dataset.param ?? "", control.value);
  }
  return params;
}

function showFilterCount() {
  const count = filterControls.filter((control) => control.value).length;
  ui.filterCount.textContent = count ? `(${count} on)` : "";
}

/**
 * Offers the values found among the passages this search ranked, with how many each holds;
 * a chosen value stays on offer even when this search found none of it.
 * @param {Record<string, FacetValue[]>} facets
 */
function showFacets(facets) {
  for (const control of filterControls) {
    if (!(control instanceof HTMLSelectElement)) continue;
    const values = facets[control.dataset.facet ?? ""] ?? [];
    const chosen = control.value;
    const first = /** @type {HTMLOptionElement} */ (control.options[0]);
    const options = values.map((value) =>
      el("option", { value: value.id, selected: value.id === chosen }, [
        `${value.name} (${value.count})`,
      ]),
    );
    if (chosen && !values.some((value) => value.id === chosen)) {
      const label = control.selectedOptions[0]?.textContent?.replace(/ \(\d+\)$/, "") ?? chosen;
      options.unshift(el("option", { value: chosen, selected: true }, [`${label} (0)`]));
    }
    control.replaceChildren(first, ...options);
  }
  for (const kind of ["goal", "topic"]) {
    for (const value of facets[kind] ?? []) search.names.set(value.id, value.name);
  }
}

/* ---------- Results ---------- */

/**
 * One hit: when, who, the words with the matched ones marked, its goals and topics, and Play.
 * @param {Hit} hit
 * @param {string[]} terms
 * @returns {HTMLElement}
 */
function hitItem(hit, terms) {
  const title = hit.title || "Untitled recording";
  const matched = hit.why?.matched_words ?? [];
  // Mark the words the keyword search matched (stems and codes included); else the query's.
  const marked = matched.length
    ? [
        ...new Set(
          matched
            .join(" ")
            .toLocaleLowerCase()
            .match(/[\p{L}\p{N}]+/gu) ?? [],
        ),
      ]
    : terms;
  const playFrom = hit.play_from ?? hit.start;
  const from = formatTime(playFrom);
  const speaker = hit.speakers?.[0]?.name;
  const tags = [...(hit.goal_ids ?? []), ...(hit.topic_ids ?? [])]
    .map((id) => search.names.get(id))
    .filter(Boolean);
  return el(
    "li",
    {
      className: "hit",
      dataset: {
        recordingId: hit.recording_id,
        title,
        start: String(playFrom),
        end: String(hit.end),
      },
    },
    [
      el("p", { className: "hit__head" }, [
        el("span", { className: "hit__time" }, [`${from}–${formatTime(hit.end)}`]),
        speaker ? el("span", { className: "hit__speaker" }, [speaker]) : "",
      ]),
      ...hitWords(hit, marked),
      whyLine(hit.why),
      tags.length
        ? el(
            "ul",
            { className: "tags", "aria-label": "Goals and topics" },
            tags.map((name) => el("li", { className: "tag" }, [String(name)])),
          )
        : "",
      el(
        "button",
        {
          type: "button",
          className: "btn btn--secondary btn--small hit__play",
          "aria-label": `Play “${title}” from ${from}`,
        },
        [`Play from ${from}`],
      ),
    ],
  );
}

/**
 * A hit's words: the answering sentence first, with the whole passage a click away; the
 * passage alone for a recording processed before sentences were kept.
 * @param {Hit} hit
 * @param {string[]} marked
 * @returns {HTMLElement[]}
 */
function hitWords(hit, marked) {
  const passage = highlightText(String(hit.text ?? ""), marked);
  if (!hit.answer) return [el("p", { className: "hit__text" }, [passage])];
  return [
    el("p", { className: "hit__answer" }, [highlightText(hit.answer.text, marked)]),
    el("details", { className: "hit__context" }, [
      el("summary", {}, ["The whole passage"]),
      el("p", { className: "hit__text" }, [passage]),
    ]),
  ];
}

/**
 * One line on why a hit matched: closeness in meaning, and the words it shares.
 * @param {MatchReason | undefined} why
 * @returns {HTMLElement | string}
 */
function whyLine(why) {
  if (!why) return "";
  const reasons = [];
  if (why.similarity !== null) reasons.push(`close in meaning (${why.similarity.toFixed(2)})`);
  if (why.matched_words.length) {
    const words = why.matched_words.slice(0, 6).map((word) => `“${word}”`);
    reasons.push(`says ${words.join(", ")}`);
  }
  return reasons.length
    ? el("p", { className: "hit__why" }, [`Matched: ${reasons.join("; ")}`])
    : "";
}

/**
 * Hits grouped by the session they come from, the groups in the order of their best hit.
 * @param {Hit[]} hits
 * @param {string[]} terms
 * @returns {HTMLElement[]}
 */
function hitGroups(hits, terms) {
  /** @type {Map<string, Hit[]>} */
  const groups = new Map();
  for (const hit of hits) {
    const group = groups.get(hit.recording_id) ?? [];
    group.push(hit);
    groups.set(hit.recording_id, group);
  }
  return [...groups.values()].map((group) => {
    const title = group[0].title || "Untitled recording";
    const count = group.length === 1 ? "1 moment" : `${group.length} moments`;
    return el("li", { className: "hit-group" }, [
      el("h3", { className: "hit-group__title" }, [
        title,
        el("span", { className: "hit-group__count" }, [` · ${count}`]),
      ]),
      el(
        "ol",
        { className: "hit-group__hits" },
        group.map((hit) => hitItem(hit, terms)),
      ),
    ]);
  });
}

/**
 * @param {Hit[]} hits
 * @param {string} query
 */
function showHits(hits, query) {
  ui.hits.replaceChildren(...hitGroups(hits, queryTerms(query)));
  announceHits();
  ui.feedback.hidden = !search.searchId;
  ui.notAnswered.disabled = false;
  setMessage(ui.feedbackMessage, "");
  const filtered = filterParams().toString() !== "";
  if (!hits.length) {
    setMessage(
      ui.message,
      `Nothing matched “${query}”${filtered ? " with these filters" : ""}. Try other words` +
        `${filtered ? " or clear the filters" : ""}, or wait until new recordings finish processing.`,
    );
    return;
  }
  const sessions = ui.hits.children.length;
  const noun = hits.length === 1 ? "passage" : "passages";
  const where = sessions === 1 ? "1 session" : `${sessions} sessions`;
  setMessage(ui.message, `${hits.length} ${noun} in ${where} for “${query}”.`, "success");
}

/** Empties the results and forgets the last search. */
function clearResults() {
  search.controller?.abort();
  search.controller = null;
  search.lastKey = "";
  search.searchId = "";
  ui.hits.replaceChildren();
  announceHits();
  ui.hits.removeAttribute("aria-busy");
  ui.feedback.hidden = true;
  setMessage(ui.message, "");
}

/**
 * Runs a search; a newer one cancels an older one still in flight.
 * @param {boolean} [force] search even if nothing changed (an explicit submit)
 * @returns {Promise<void>}
 */
async function runSearch(force = false) {
  const query = ui.input.value.trim();
  if (!query) {
    clearResults();
    if (force) setMessage(ui.message, "Type a word or phrase to search for.");
    return;
  }
  const params = new URLSearchParams({ q: query, limit: String(SEARCH_LIMIT) });
  for (const [key, value] of filterParams()) params.append(key, value);
  const key = params.toString();
  if (!force && key === search.lastKey) return;

  search.controller?.abort();
  const controller = new AbortController();
  search.controller = controller;
  ui.hits.setAttribute("aria-busy", "true");
  if (force) setMessage(ui.message, "Searching…");
  try {
    const data = await requestJson(`${API}/search?${params}`, { signal: controller.signal });
    if (controller !== search.controller) return;
    search.lastKey = key;
    search.searchId = data?.search_id ?? "";
    showFacets(data?.facets ?? {});
    showHits(Array.isArray(data?.hits) ? data.hits : [], query);
  } catch (error) {
    if (controller !== search.controller) return;
    if (error instanceof DOMException && error.name === "AbortError") return;
    setMessage(ui.message, `Search failed: ${error.message}`, "error");
  } finally {
    if (controller === search.controller) {
      search.controller = null;
      ui.hits.removeAttribute("aria-busy");
    }
  }
}

/** Searches a moment after typing stops (for a few characters or more). */
function onInput() {
  window.clearTimeout(search.timer);
  const query = ui.input.value.trim();
  if (!query) {
    clearResults();
    return;
  }
  if (query.length < SEARCH_MIN_CHARS) return;
  search.timer = window.setTimeout(() => runSearch(), SEARCH_DEBOUNCE_MS);
}

function onFilterChange() {
  showFilterCount();
  if (ui.input.value.trim()) runSearch();
}

/**
 * Plays a clicked result in place (ignoring clicks that only select its text or open its
 * whole passage).
 * @param {MouseEvent} event
 */
function onHitClick(event) {
  const target = /** @type {HTMLElement} */ (event.target);
  const item = /** @type {HTMLElement|null} */ (target.closest("li.hit"));
  if (!item) return;
  if (target.closest(".hit__context")) return; // opening the whole passage is not playing it
  if (!target.closest("button") && String(window.getSelection() ?? "")) return;
  markPlayingHit(item);
  search.play({
    id: item.dataset.recordingId ?? "",
    title: item.dataset.title ?? null,
    start: Number(item.dataset.start) || 0,
  });
}

/**
 * Marks the result being played (null: none).
 * @param {HTMLElement|null} item
 */
export function markPlayingHit(item) {
  for (const hit of ui.hits.querySelectorAll("li.hit.is-playing"))
    hit.classList.remove("is-playing");
  item?.classList.add("is-playing");
}

/**
 * Where the results shown play from in one recording, in their order.
 * @param {string} recordingId
 * @returns {number[]}
 */
export function hitStarts(recordingId) {
  return [...ui.hits.querySelectorAll("li.hit")]
    .map((hit) => /** @type {HTMLElement} */ (hit).dataset)
    .filter((data) => data.recordingId === recordingId)
    .map((data) => Number(data.start) || 0);
}

/** Tells the player's timeline that the results changed. */
function announceHits() {
  document.dispatchEvent(new CustomEvent("baton:hits-shown"));
}

/**
 * Takes a deleted recording's hits out of the results.
 * @param {string} recordingId
 */
export function forgetHits(recordingId) {
  for (const hit of ui.hits.querySelectorAll("li.hit")) {
    if (/** @type {HTMLElement} */ (hit).dataset.recordingId === recordingId) {
      const group = hit.closest("li.hit-group");
      hit.remove();
      if (group && !group.querySelector("li.hit")) group.remove();
    }
  }
  announceHits();
}

async function onNotAnswered() {
  if (!search.searchId) return;
  ui.notAnswered.disabled = true;
  try {
    await sendJson(`${API}/search/${encodeURIComponent(search.searchId)}/feedback`, "POST", {
      answered: false,
    });
    setMessage(
      ui.feedbackMessage,
      "Thank you. The curators see this question among the ones Baton could not answer, " +
        "and can ask an expert to cover it.",
      "success",
    );
  } catch (error) {
    ui.notAnswered.disabled = false;
    setMessage(ui.feedbackMessage, `Not sent: ${error.message}`, "error");
  }
}

/**
 * Wires the search box, its filters, the results and the "/" shortcut.
 * @param {(moment: {id: string, title: string|null, start: number}) => void} play opens the
 *   player at a moment
 */
export function bindSearch(play) {
  search.play = play;
  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    window.clearTimeout(search.timer);
    runSearch(true);
  });
  ui.input.addEventListener("input", onInput);
  for (const control of filterControls) control.addEventListener("change", onFilterChange);
  ui.clearFilters.addEventListener("click", () => {
    for (const control of filterControls) control.value = "";
    onFilterChange();
  });
  ui.hits.addEventListener("click", onHitClick);
  ui.notAnswered.addEventListener("click", onNotAnswered);
  document.addEventListener("keydown", (event) => {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping()) return;
    event.preventDefault();
    ui.input.focus();
    ui.input.select();
  });
}
