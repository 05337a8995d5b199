/**
 * What the search card shows before anything is asked: questions others found answered (one
 * click asks them again), the latest sessions published to the library (one click plays them),
 * and the topics with how many passages each holds. The server decides what may be shown
 * (`GET /api/v1/start`): only what the published library answers, and counts of what this
 * person may see.
 */

import { byId, el, formatTime, setMessage } from "./dom.js";
import { API, requestJson } from "./http.js";

const ui = {
  box: byId("first-visit"),
  answered: byId("answered-questions"),
  latest: byId("latest-sessions"),
  topics: byId("held-topics"),
  message: byId("first-visit-message"),
  form: /** @type {HTMLFormElement} */ (byId("search-form")),
  input: /** @type {HTMLInputElement} */ (byId("search-input")),
  hits: byId("hits"),
};

/** @type {(moment: {id: string, title: string|null, start: number}) => void} */
let play = () => {};

/**
 * @typedef {object} FirstVisit
 * @property {{id: string, name: string, passages: number}[]} topics
 * @property {{recording_id: string, title: string, held_on: string|null,
 *   duration_seconds: number|null}[]} latest
 * @property {{question: string, times_asked: number}[]} answered
 */

/** Shown while the search box is empty and no results are on the page. */
function showWhenIdle() {
  ui.box.hidden = ui.input.value.trim() !== "" || ui.hits.children.length > 0;
}

/**
 * A heading's section, hidden when it has nothing to list.
 * @param {HTMLElement} list
 * @param {HTMLElement[]} items
 */
function fill(list, items) {
  list.replaceChildren(...items);
  const section = list.closest("section");
  if (section) section.hidden = items.length === 0;
}

/** @param {FirstVisit} data */
function render(data) {
  fill(
    ui.answered,
    data.answered.map(({ question, times_asked }) =>
      el("li", {}, [
        el("button", { type: "button", className: "link-button", dataset: { question } }, [
          question,
        ]),
        times_asked > 1
          ? el("span", { className: "first-visit__note" }, [` asked ${times_asked} times`])
          : "",
      ]),
    ),
  );
  fill(
    ui.latest,
    data.latest.map((session) => {
      const length = session.duration_seconds ? formatTime(session.duration_seconds) : "";
      const when = [session.held_on, length].filter(Boolean).join(" · ");
      return el("li", {}, [
        el(
          "button",
          {
            type: "button",
            className: "link-button",
            dataset: { recordingId: session.recording_id, title: session.title },
          },
          [session.title],
        ),
        when ? el("span", { className: "first-visit__note" }, [` ${when}`]) : "",
      ]);
    }),
  );
  fill(
    ui.topics,
    data.topics.map((topic) =>
      el("li", {}, [
        el("a", { href: `#/topics/${encodeURIComponent(topic.id)}`, className: "chip" }, [
          `${topic.name} (${topic.passages})`,
        ]),
      ]),
    ),
  );
  const empty = !data.answered.length && !data.latest.length && !data.topics.length;
  const none =
    "Nothing is in the library yet: sessions appear here once their mentors publish them.";
  setMessage(ui.message, empty ? none : "");
}

/**
 * Asks the server what the library holds for this person, and shows it.
 * @returns {Promise<void>}
 */
export async function loadFirstVisit() {
  try {
    render(/** @type {FirstVisit} */ (await requestJson(`${API}/start`)));
  } catch (error) {
    // The search still works; only the suggestions are missing.
    setMessage(ui.message, `Could not load what the library holds: ${error.message}`, "warning");
  }
  showWhenIdle();
}

/**
 * Wires the suggestions: a question asks itself, a session plays.
 * @param {(moment: {id: string, title: string|null, start: number}) => void} player
 */
export function bindFirstVisit(player) {
  play = player;
  ui.box.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button");
    if (!(button instanceof HTMLElement)) return;
    if (button.dataset.question) {
      ui.input.value = button.dataset.question;
      ui.form.requestSubmit();
    } else if (button.dataset.recordingId) {
      play({ id: button.dataset.recordingId, title: button.dataset.title ?? null, start: 0 });
    }
  });
  ui.input.addEventListener("input", showWhenIdle);
  document.addEventListener("baton:hits-shown", showWhenIdle);
}
