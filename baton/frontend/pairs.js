/**
 * "My pairs": each mentoring pair the account belongs to (every pair, for curators) with what
 * is overdue, its goals and how far each has come, and its sessions with their recordings.
 */

import { byId, el, setMessage } from "./dom.js";
import { API, requestJson } from "./http.js";
import { myPairs } from "./pair_sessions.js";
import { momentHash } from "./views.js";

/** Minutes of recorded teaching at which a goal counts as captured (as the risk report). */
const MINUTES_PER_GOAL = 30;

const ui = {
  heading: byId("pairs-heading"),
  summary: byId("pairs-summary"),
  message: byId("pairs-message"),
  cards: byId("pair-cards"),
};

/** @type {() => boolean} whether the account sees every pair (curators and admins) */
let seesAll = () => false;

/**
 * @param {string} iso a date, "2026-03-10"
 * @returns {string} as people read it
 */
function day(iso) {
  const date = new Date(`${iso}T12:00:00`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(date);
}

/**
 * @param {any} pair
 * @returns {HTMLElement}
 */
function dueLine(pair) {
  if (pair.status !== "active") {
    return el("p", { className: "pair__due" }, [`This pair is ${pair.status}.`]);
  }
  const every = `Meets every ${pair.cadence_days} days.`;
  if (pair.overdue) {
    return el("p", { className: "pair__due pair__due--overdue" }, [
      el("span", { className: "badge badge--warning" }, ["Overdue"]),
      ` A session was due on ${day(pair.next_due_on)}. ${every}`,
    ]);
  }
  return el("p", { className: "pair__due" }, [
    `Next session due ${day(pair.next_due_on)}. ${every}`,
  ]);
}

/**
 * @param {any} goal
 * @param {Map<string, string>} names
 * @returns {HTMLElement}
 */
function goalItem(goal, names) {
  const progress = goal.progress ?? {};
  const minutes = Math.round(progress.minutes_captured ?? 0);
  const share = Math.min(1, minutes / MINUTES_PER_GOAL);
  const milestones = progress.milestones_total
    ? ` · ${progress.milestones_done} of ${progress.milestones_total} milestones`
    : "";
  const who = `${names.get(goal.teacher_id) ?? "?"} teaches ${names.get(goal.learner_id) ?? "?"}`;
  return el("li", { className: "goal" }, [
    el("p", { className: "goal__title" }, [goal.title]),
    el("p", { className: "goal__who" }, [who]),
    el("progress", {
      max: 1,
      value: share,
      "aria-label": `${goal.title}: ${minutes} of ${MINUTES_PER_GOAL} minutes captured`,
    }),
    el("p", { className: "goal__numbers" }, [
      `${minutes} min captured · ${progress.confirmed_passages ?? 0} passages approved${milestones}`,
    ]),
  ]);
}

/**
 * @param {any} meeting
 * @returns {HTMLElement}
 */
function sessionItem(meeting) {
  const recordings = meeting.recording_ids ?? [];
  const title = meeting.title || "Session";
  return el("li", { className: "pair-session" }, [
    el("span", { className: "pair-session__date" }, [day(meeting.held_on)]),
    el("span", {}, [title]),
    recordings.length
      ? el(
          "span",
          { className: "pair-session__recordings" },
          recordings.map((/** @type {string} */ id, /** @type {number} */ index) =>
            el(
              "a",
              {
                href: momentHash(id, 0),
                "aria-label": `Play the recording of ${title}`,
              },
              [recordings.length > 1 ? `▶ Part ${index + 1}` : "▶ Play"],
            ),
          ),
        )
      : el("span", { className: "pair-session__none" }, ["no recording"]),
  ]);
}

/**
 * @param {any} pair
 * @param {Map<string, string>} names
 * @returns {Promise<HTMLElement>}
 */
async function pairCard(pair, names) {
  const path = `${API}/pairs/${encodeURIComponent(pair.id)}`;
  const [goals, sessions] = await Promise.all([
    requestJson(`${path}/goals`).then((answer) => answer?.goals ?? []),
    requestJson(`${path}/sessions`).then((answer) => answer?.sessions ?? []),
  ]);
  const headingId = `pair-${pair.id}`;
  return el("section", { className: "card pair", "aria-labelledby": headingId }, [
    el("h2", { id: headingId, className: "card__title" }, [pair.name]),
    dueLine(pair),
    el("h3", { className: "pair__subtitle" }, ["Goals"]),
    goals.length
      ? el(
          "ul",
          { className: "goals" },
          goals.map((/** @type {any} */ goal) => goalItem(goal, names)),
        )
      : el("p", { className: "empty" }, ["No goals yet."]),
    el("h3", { className: "pair__subtitle" }, [`Sessions (${sessions.length})`]),
    sessions.length
      ? el("ol", { className: "pair-sessions" }, sessions.map(sessionItem))
      : el("p", { className: "empty" }, ["No sessions yet. Film one, or upload a recording."]),
  ]);
}

async function loadPairs() {
  setMessage(ui.message, "Loading…");
  let pairs;
  let names;
  try {
    ({ pairs, names } = await myPairs());
    // Overdue first: that is what needs doing.
    pairs.sort(
      (/** @type {any} */ a, /** @type {any} */ b) =>
        Number(b.overdue) - Number(a.overdue) || a.name.localeCompare(b.name),
    );
    ui.cards.replaceChildren(...(await Promise.all(pairs.map((pair) => pairCard(pair, names)))));
  } catch (error) {
    setMessage(ui.message, `Could not load the pairs: ${error.message}`, "error");
    return;
  }
  const overdue = pairs.filter((/** @type {any} */ pair) => pair.overdue).length;
  ui.summary.textContent = pairs.length
    ? `${pairs.length} ${pairs.length === 1 ? "pair" : "pairs"}, ${overdue} overdue.`
    : "";
  setMessage(
    ui.message,
    pairs.length ? "" : "You are not in a mentoring pair yet. A curator or an admin sets pairs up.",
  );
}

/** Called each time the view is shown. */
export function enterPairs() {
  ui.heading.textContent = seesAll() ? "Pairs" : "My pairs";
  loadPairs();
  ui.heading.focus();
}

/** @param {() => boolean} staff whether the signed-in account sees every pair */
export function bindPairs(staff) {
  seesAll = staff;
}
