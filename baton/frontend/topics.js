/**
 * Topic pages: browse what the experts said about a subject. The list shows every topic with
 * how much was captured; a topic's page lists its approved passages session by session, each
 * one a link that plays that moment. Curators also merge a topic into another here.
 */

import { byId, el, formatTime, setMessage } from "./dom.js";
import { API, requestJson, sendJson } from "./http.js";
import { momentHash } from "./views.js";

/**
 * @typedef {object} Topic
 * @property {string} id
 * @property {string} name
 * @property {string} description
 * @property {string[]} keywords
 * @property {string[]} synonyms
 * @property {number} approved_passages
 * @property {number} suggested_passages
 * @property {number} minutes_approved
 */

/**
 * @typedef {object} TopicPassage
 * @property {string} recording_id
 * @property {string} recording_title
 * @property {string|null} held_on
 * @property {number} start
 * @property {number} end
 * @property {string} text
 * @property {string[]} speakers
 */

const ui = {
  listCard: byId("topic-list-card"),
  listHeading: byId("topics-heading"),
  filter: /** @type {HTMLInputElement} */ (byId("topic-filter")),
  listMessage: byId("topics-message"),
  list: byId("topic-list"),
  card: byId("topic-card"),
  name: byId("topic-name"),
  description: byId("topic-description"),
  words: byId("topic-words"),
  pack: /** @type {HTMLAnchorElement} */ (byId("topic-pack")),
  merge: /** @type {HTMLFormElement} */ (byId("topic-merge")),
  mergeInto: /** @type {HTMLSelectElement} */ (byId("topic-merge-into")),
  message: byId("topic-message"),
  passages: byId("topic-passages"),
};

/** @type {Topic[]} */
let topics = [];
/** @type {() => boolean} whether the signed-in account may merge topics */
let mayCurate = () => false;

/**
 * @param {string} hash
 * @returns {string|null} the topic id in "#/topics/<id>", if any
 */
function topicIdOf(hash) {
  const match = /^#\/topics\/([\w-]+)/.exec(hash);
  return match ? match[1] : null;
}

/**
 * @param {number} minutes
 * @returns {string}
 */
function minutesText(minutes) {
  if (minutes <= 0) return "nothing approved yet";
  return minutes < 1 ? "under a minute" : `${Math.round(minutes)} min`;
}

/** @param {Topic} topic */
function topicItem(topic) {
  const count = topic.approved_passages;
  return el("li", { className: "topic-item", dataset: { id: topic.id } }, [
    el("a", { href: `#/topics/${encodeURIComponent(topic.id)}`, className: "topic-item__name" }, [
      topic.name,
    ]),
    el("p", { className: "topic-item__description" }, [topic.description]),
    el("p", { className: "topic-item__meta" }, [
      `${count} ${count === 1 ? "passage" : "passages"} · ${minutesText(topic.minutes_approved)}`,
    ]),
  ]);
}

function applyFilter() {
  const wanted = ui.filter.value.trim().toLocaleLowerCase();
  let shown = 0;
  for (const item of ui.list.querySelectorAll("li.topic-item")) {
    const topic = topics.find((t) => t.id === item.getAttribute("data-id"));
    const haystack = [
      topic?.name,
      topic?.description,
      ...(topic?.keywords ?? []),
      ...(topic?.synonyms ?? []),
    ]
      .join(" ")
      .toLocaleLowerCase();
    const visible = !wanted || haystack.includes(wanted);
    /** @type {HTMLElement} */ (item).hidden = !visible;
    if (visible) shown += 1;
  }
  setMessage(ui.listMessage, topics.length && !shown ? "No topic matches those words." : "");
}

async function loadTopics() {
  try {
    const answer = await requestJson(`${API}/topics`);
    topics = (answer?.topics ?? []).sort((/** @type {Topic} */ a, /** @type {Topic} */ b) =>
      a.name.localeCompare(b.name),
    );
  } catch (error) {
    setMessage(ui.listMessage, `Could not load the topics: ${error.message}`, "error");
    return;
  }
  ui.list.replaceChildren(...topics.map(topicItem));
  if (!topics.length) {
    setMessage(ui.listMessage, "No topics yet. A curator adds them under Review.");
  }
  applyFilter();
}

/**
 * The passages of one topic, grouped by the recording they come from.
 * @param {TopicPassage[]} passages
 * @returns {HTMLElement[]}
 */
function passageGroups(passages) {
  /** @type {Map<string, TopicPassage[]>} */
  const byRecording = new Map();
  for (const passage of passages) {
    const group = byRecording.get(passage.recording_id) ?? [];
    group.push(passage);
    byRecording.set(passage.recording_id, group);
  }
  return [...byRecording.values()].map((group) => {
    const first = group[0];
    const when = first.held_on ? ` · ${first.held_on}` : "";
    return el("li", { className: "topic-session" }, [
      el("h2", { className: "topic-session__title" }, [`${first.recording_title}${when}`]),
      el(
        "ol",
        { className: "topic-session__passages" },
        group
          .sort((a, b) => a.start - b.start)
          .map((passage) =>
            el("li", { className: "topic-passage" }, [
              el(
                "a",
                {
                  className: "topic-passage__play",
                  href: momentHash(passage.recording_id, passage.start),
                  "aria-label": `Play ${first.recording_title} from ${formatTime(passage.start)}`,
                },
                [`▶ ${formatTime(passage.start)}`],
              ),
              el("span", { className: "topic-passage__speakers" }, [passage.speakers.join(", ")]),
              el("p", { className: "topic-passage__text" }, [passage.text]),
            ]),
          ),
      ),
    ]);
  });
}

/** @param {string} id */
async function showTopic(id) {
  ui.listCard.hidden = true;
  ui.card.hidden = false;
  ui.passages.replaceChildren();
  setMessage(ui.message, "Loading…");
  /** @type {Topic} */
  let topic;
  /** @type {TopicPassage[]} */
  let passages;
  try {
    const path = `${API}/topics/${encodeURIComponent(id)}`;
    const [found, listed] = await Promise.all([requestJson(path), requestJson(`${path}/passages`)]);
    topic = found;
    passages = listed?.passages ?? [];
  } catch (error) {
    ui.name.textContent = "Topic not available";
    setMessage(
      ui.message,
      error.status === 404 ? "This topic does not exist (any more)." : error.message,
      "error",
    );
    return;
  }
  if (topicIdOf(window.location.hash) !== id) return;
  ui.name.textContent = topic.name;
  ui.description.textContent = topic.description;
  const words = [...topic.keywords, ...topic.synonyms];
  ui.words.textContent = words.length ? `Also known as, or close to: ${words.join(", ")}` : "";
  ui.pack.href = `${API}/topics/${encodeURIComponent(id)}/pack.md`;
  ui.passages.replaceChildren(...passageGroups(passages));
  setMessage(
    ui.message,
    passages.length ? "" : "No passage has been approved for this topic yet (or none you may see).",
  );
  ui.merge.hidden = !mayCurate();
  if (mayCurate()) {
    if (!topics.length) await loadTopics();
    ui.mergeInto.replaceChildren(
      ...topics.filter((t) => t.id !== id).map((t) => el("option", { value: t.id }, [t.name])),
    );
    ui.merge.hidden = ui.mergeInto.options.length === 0;
  }
  ui.name.focus();
}

/** @param {SubmitEvent} event */
async function onMerge(event) {
  event.preventDefault();
  const id = topicIdOf(window.location.hash);
  const into = ui.mergeInto.value;
  if (!id || !into) return;
  const name = ui.mergeInto.selectedOptions[0]?.textContent ?? "";
  try {
    await sendJson(`${API}/topics/${encodeURIComponent(id)}/merge`, "POST", { into_id: into });
    topics = [];
    window.location.hash = `#/topics/${encodeURIComponent(into)}`;
    setMessage(ui.message, `Merged: its passages now belong to ${name}.`, "success");
  } catch (error) {
    setMessage(ui.message, `Not merged: ${error.message}`, "error");
  }
}

/** Shows the list or one topic, as the address says (called on every change of address). */
export function enterTopics() {
  const id = topicIdOf(window.location.hash);
  if (id) {
    showTopic(id);
    return;
  }
  ui.card.hidden = true;
  ui.listCard.hidden = false;
  loadTopics();
  ui.listHeading.focus();
}

/** @param {() => boolean} curator whether the signed-in account may merge topics */
export function bindTopics(curator) {
  mayCurate = curator;
  ui.filter.addEventListener("input", applyFilter);
  ui.merge.addEventListener("submit", onMerge);
}
