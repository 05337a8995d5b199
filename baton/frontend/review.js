/**
 * The curators' desk: the queue of passages Baton suggests for a topic or a goal, each with its
 * evidence (the passage, the words of the topic it says, its scores, a link that plays it), to
 * approve or reject; and the glossary of the programme's own words.
 */

import { byId, el, formatTime, setMessage } from "./dom.js";
import { highlightText } from "./highlight.js";
import { API, recordingUrl, requestJson, sendJson } from "./http.js";
import { momentHash } from "./views.js";

/** How many suggestions one page of the queue shows. */
const QUEUE_PAGE = 50;
/** How many private recordings the publishing list asks about (newest first). */
const PUBLISHING_MOST = 30;

/**
 * @typedef {object} Tag a suggested passage, with its evidence
 * @property {number} id
 * @property {"goal"|"topic"} kind
 * @property {string|null} topic_id
 * @property {string} target_name
 * @property {string} recording_id
 * @property {string} recording_title
 * @property {number} start
 * @property {number} end
 * @property {string} text
 * @property {number} score
 * @property {number} similarity
 * @property {string[]} matched_words
 */

/**
 * @typedef {object} Term
 * @property {string} id
 * @property {string} term
 * @property {string[]} synonyms
 * @property {string} description
 */

const ui = {
  heading: byId("review-heading"),
  kind: /** @type {HTMLSelectElement} */ (byId("review-kind")),
  message: byId("review-message"),
  queue: byId("review-queue"),
  publishingMessage: byId("publishing-message"),
  publishing: byId("publishing-list"),
  glossaryForm: /** @type {HTMLFormElement} */ (byId("glossary-form")),
  term: /** @type {HTMLInputElement} */ (byId("glossary-term")),
  synonyms: /** @type {HTMLInputElement} */ (byId("glossary-synonyms")),
  description: /** @type {HTMLInputElement} */ (byId("glossary-description")),
  glossaryMessage: byId("glossary-message"),
  terms: byId("glossary-terms"),
};

/** @type {Map<number, Tag>} the suggestions shown, by id */
const shown = new Map();
let remaining = 0;

/** @returns {string} */
function countText() {
  if (!remaining) return "Nothing waiting for review.";
  return `${remaining} ${remaining === 1 ? "suggestion" : "suggestions"} waiting for review.`;
}

/**
 * One suggestion with its evidence and the two decisions.
 * @param {Tag} tag
 * @returns {HTMLElement}
 */
function tagItem(tag) {
  const time = formatTime(tag.start);
  const words = tag.matched_words.map((word) => word.toLocaleLowerCase());
  const evidence = [
    `score ${tag.score.toFixed(2)}`,
    `meaning ${Math.round(tag.similarity * 100)}% alike`,
    words.length ? `says “${tag.matched_words.join("”, “")}”` : "",
  ].filter(Boolean);
  const what = `${tag.target_name} at ${time} of ${tag.recording_title}`;
  return el("li", { className: "review-item", dataset: { id: String(tag.id) } }, [
    el("p", { className: "review-item__target" }, [
      el("span", { className: "badge" }, [tag.kind === "topic" ? "Topic" : "Goal"]),
      ` ${tag.target_name}`,
    ]),
    el("p", { className: "review-item__source" }, [
      el(
        "a",
        {
          href: momentHash(tag.recording_id, tag.start),
          "aria-label": `Play ${tag.recording_title} from ${time}`,
        },
        [`▶ ${time}–${formatTime(tag.end)}`],
      ),
      ` ${tag.recording_title}`,
    ]),
    el("p", { className: "review-item__text" }, [highlightText(tag.text, words)]),
    el("p", { className: "review-item__evidence" }, [evidence.join(" · ")]),
    el("div", { className: "review-item__actions" }, [
      el(
        "button",
        {
          type: "button",
          className: "btn btn--primary btn--small",
          dataset: { decision: "confirmed" },
          "aria-label": `Approve: ${what}`,
        },
        ["Approve"],
      ),
      el(
        "button",
        {
          type: "button",
          className: "btn btn--ghost btn--small",
          dataset: { decision: "rejected" },
          "aria-label": `Reject: ${what}`,
        },
        ["Reject"],
      ),
    ]),
    el("p", { className: "inline-error", role: "alert" }),
  ]);
}

async function loadQueue() {
  const kind = ui.kind.value;
  setMessage(ui.message, "Loading…");
  try {
    const params = new URLSearchParams({ kind, status: "suggested", limit: String(QUEUE_PAGE) });
    const answer = await requestJson(`${API}/tags?${params}`);
    if (ui.kind.value !== kind) return;
    /** @type {Tag[]} */
    const tags = answer?.tags ?? [];
    remaining = answer?.total ?? tags.length;
    shown.clear();
    for (const tag of tags) shown.set(tag.id, tag);
    ui.queue.replaceChildren(...tags.map(tagItem));
    setMessage(ui.message, countText());
  } catch (error) {
    setMessage(ui.message, `Could not load the suggestions: ${error.message}`, "error");
  }
}

/**
 * Approves or rejects one suggestion; it leaves the queue.
 * @param {HTMLElement} item
 * @param {HTMLButtonElement} button
 */
async function decide(item, button) {
  const tag = shown.get(Number(item.dataset.id));
  const status = button.dataset.decision;
  if (!tag || !status) return;
  const errorBox = /** @type {HTMLElement} */ (item.querySelector(".inline-error"));
  for (const each of item.querySelectorAll("button"))
    /** @type {HTMLButtonElement} */ (each).disabled = true;
  try {
    await sendJson(`${API}/tags/${tag.id}`, "PATCH", { status });
  } catch (error) {
    for (const each of item.querySelectorAll("button"))
      /** @type {HTMLButtonElement} */ (each).disabled = false;
    setMessage(errorBox, `Not saved: ${error.message}`, "error");
    return;
  }
  const next = /** @type {HTMLElement|null} */ (
    item.nextElementSibling ?? item.previousElementSibling
  );
  item.remove();
  shown.delete(tag.id);
  remaining = Math.max(0, remaining - 1);
  const approved = status === "confirmed";
  const where = tag.kind === "topic" ? "shows on the topic's page" : "counts towards the goal";
  setMessage(
    ui.message,
    `${approved ? "Approved" : "Rejected"}: ${tag.target_name} at ${formatTime(tag.start)}` +
      `${approved ? `, which now ${where}` : ""}. ${countText()}`,
    "success",
  );
  /** @type {HTMLElement|null} */ (next?.querySelector("button") ?? null)?.focus();
  if (!shown.size && remaining) loadQueue();
}

/* ---------- Publishing ---------- */

/**
 * One private recording: what it waits for, and Publish once everyone has consented.
 * @param {{id: string, title: string}} recording
 * @param {{participants: unknown[], missing: string[]}} consent
 * @returns {HTMLElement}
 */
function publishingItem(recording, consent) {
  let state = "Everyone has consented.";
  if (!consent.participants.length) state = "Not filed under a session: no one can consent yet.";
  else if (consent.missing.length) state = `Waiting for ${consent.missing.join(" and ")}.`;
  const ready = consent.participants.length > 0 && consent.missing.length === 0;
  return el("li", { className: "publishing-item", dataset: { id: recording.id } }, [
    el("a", { href: momentHash(recording.id, 0) }, [recording.title || "Untitled recording"]),
    el("span", { className: "publishing-item__state" }, [state]),
    ready
      ? el(
          "button",
          {
            type: "button",
            className: "btn btn--primary btn--small",
            "aria-label": `Publish ${recording.title}`,
          },
          ["Publish"],
        )
      : "",
  ]);
}

async function loadPublishing() {
  try {
    const listed = (await requestJson(`${API}/recordings`))?.recordings ?? [];
    const waiting = listed
      .filter((/** @type {any} */ r) => r.status === "ready" && !r.published)
      .slice(0, PUBLISHING_MOST);
    const consents = await Promise.all(
      waiting.map((/** @type {any} */ r) => requestJson(recordingUrl(r.id, "consent"))),
    );
    ui.publishing.replaceChildren(...waiting.map((r, index) => publishingItem(r, consents[index])));
    setMessage(ui.publishingMessage, waiting.length ? "" : "Every ready recording is published.");
  } catch (error) {
    setMessage(ui.publishingMessage, `Could not load the recordings: ${error.message}`, "error");
  }
}

/**
 * @param {HTMLElement} item
 * @param {HTMLButtonElement} button
 */
async function publish(item, button) {
  button.disabled = true;
  try {
    await sendJson(recordingUrl(item.dataset.id ?? "", "publish"), "POST", {});
  } catch (error) {
    button.disabled = false;
    setMessage(ui.publishingMessage, `Not published: ${error.message}`, "error");
    return;
  }
  const title = item.querySelector("a")?.textContent ?? "";
  item.remove();
  setMessage(
    ui.publishingMessage,
    `Published “${title}”: everyone signed in can find it now.`,
    "success",
  );
}

/* ---------- Glossary ---------- */

/** @param {Term} term */
function termItem(term) {
  return el("li", { className: "glossary__term", dataset: { id: term.id } }, [
    el("p", {}, [
      el("strong", {}, [term.term]),
      term.synonyms.length ? ` (${term.synonyms.join(", ")})` : "",
    ]),
    el("p", { className: "hint" }, [term.description]),
    el(
      "button",
      {
        type: "button",
        className: "btn btn--ghost btn--small",
        "aria-label": `Remove ${term.term} from the glossary`,
      },
      ["Remove"],
    ),
  ]);
}

async function loadGlossary() {
  try {
    const answer = await requestJson(`${API}/glossary`);
    /** @type {Term[]} */
    const terms = (answer?.terms ?? []).sort((/** @type {Term} */ a, /** @type {Term} */ b) =>
      a.term.localeCompare(b.term),
    );
    ui.terms.replaceChildren(...terms.map(termItem));
    if (!terms.length) setMessage(ui.glossaryMessage, "The glossary is empty.");
  } catch (error) {
    setMessage(ui.glossaryMessage, `Could not load the glossary: ${error.message}`, "error");
  }
}

/** @param {SubmitEvent} event */
async function onAddTerm(event) {
  event.preventDefault();
  const term = ui.term.value.trim();
  if (!term) {
    setMessage(ui.glossaryMessage, "Type the term first.", "error");
    ui.term.focus();
    return;
  }
  const synonyms = ui.synonyms.value
    .split(",")
    .map((word) => word.trim())
    .filter(Boolean);
  try {
    await sendJson(`${API}/glossary`, "POST", {
      term,
      synonyms,
      description: ui.description.value.trim(),
    });
  } catch (error) {
    setMessage(ui.glossaryMessage, `Not added: ${error.message}`, "error");
    return;
  }
  ui.glossaryForm.reset();
  setMessage(ui.glossaryMessage, `Added “${term}”. New recordings listen for it.`, "success");
  ui.term.focus();
  loadGlossary();
}

/**
 * @param {HTMLElement} item
 * @param {HTMLButtonElement} button
 */
async function removeTerm(item, button) {
  const name = item.querySelector("strong")?.textContent ?? "";
  button.disabled = true;
  try {
    await requestJson(`${API}/glossary/${encodeURIComponent(item.dataset.id ?? "")}`, {
      method: "DELETE",
    });
  } catch (error) {
    button.disabled = false;
    setMessage(ui.glossaryMessage, `Not removed: ${error.message}`, "error");
    return;
  }
  item.remove();
  setMessage(ui.glossaryMessage, `Removed “${name}”.`, "success");
}

/** Called each time the view is shown. */
export function enterReview() {
  loadQueue();
  loadPublishing();
  loadGlossary();
  ui.heading.focus();
}

export function bindReview() {
  ui.kind.addEventListener("change", loadQueue);
  ui.queue.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button[data-decision]");
    const item = /** @type {HTMLElement|null} */ (button?.closest("li.review-item") ?? null);
    if (button && item) decide(item, /** @type {HTMLButtonElement} */ (button));
  });
  ui.publishing.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button");
    const item = /** @type {HTMLElement|null} */ (button?.closest("li.publishing-item") ?? null);
    if (button && item) publish(item, /** @type {HTMLButtonElement} */ (button));
  });
  ui.glossaryForm.addEventListener("submit", onAddTerm);
  ui.terms.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button");
    const item = /** @type {HTMLElement|null} */ (button?.closest("li.glossary__term") ?? null);
    if (button && item) removeTerm(item, /** @type {HTMLButtonElement} */ (button));
  });
}
