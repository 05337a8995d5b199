/**
 * The knowledge managers' dashboards, drawn as charts from the analytics API: knowledge at risk
 * (experts by days left against minutes captured), goal and topic coverage, search gaps and
 * sessions per month. Each chart also offers its numbers as a table and a CSV download.
 */

import { barChart, columnChart, scatterChart } from "./charts.js";
import { byId, el, setMessage } from "./dom.js";
import { API, requestJson } from "./http.js";

/** Experts leaving within this many months are shown. */
const RISK_MONTHS = 24;
/** A point is drawn in the warning colour from this risk score up (0..1). */
const ALARM_RISK = 0.5;
/** At most this many bars per chart: the rest is in the CSV. */
const MOST_BARS = 15;

const ui = {
  heading: byId("dashboards-heading"),
  summary: byId("dashboard-summary"),
  message: byId("dashboards-message"),
  risk: byId("risk-chart"),
  goals: byId("goal-chart"),
  topics: byId("topic-chart"),
  gaps: byId("gaps-chart"),
  months: byId("months-chart"),
};

/** @param {number} minutes */
const inMinutes = (minutes) => `${minutes} min`;

/**
 * @param {HTMLElement} place
 * @param {() => Promise<Node>} draw
 */
async function fill(place, draw) {
  try {
    place.replaceChildren(await draw());
  } catch (error) {
    place.replaceChildren(
      el("p", { className: "message", dataset: { tone: "error" } }, [
        `Could not load this chart: ${error.message}`,
      ]),
    );
  }
}

/**
 * @param {string} text
 * @returns {HTMLElement}
 */
function empty(text) {
  return el("p", { className: "empty" }, [text]);
}

async function riskChart() {
  const answer = await requestJson(`${API}/analytics/knowledge-at-risk?months=${RISK_MONTHS}`);
  /** @type {{name: string, days_left: number, minutes_captured: number, risk: number}[]} */
  const rows = answer?.rows ?? [];
  if (!rows.length) return empty(`No expert leaves in the next ${RISK_MONTHS} months.`);
  return scatterChart(
    "Experts leaving: days left against minutes captured",
    rows.map((row) => ({
      label: row.name,
      x: row.days_left,
      y: Math.round(row.minutes_captured),
      alarm: row.risk >= ALARM_RISK,
    })),
    { x: "days left", y: "minutes captured" },
  );
}

async function goalChart() {
  const pairs = (await requestJson(`${API}/pairs`))?.pairs ?? [];
  const lists = await Promise.all(
    pairs.map((/** @type {{id: string}} */ pair) =>
      requestJson(`${API}/pairs/${encodeURIComponent(pair.id)}/goals`),
    ),
  );
  const goals = lists.flatMap((list) => list?.goals ?? []);
  if (!goals.length) return empty("No goals yet.");
  const bars = goals
    .map((/** @type {any} */ goal) => {
      const minutes = Math.round(goal.progress?.minutes_captured ?? 0);
      return { label: goal.title, value: minutes, note: minutes ? "" : "nothing captured" };
    })
    .sort((a, b) => a.value - b.value || a.label.localeCompare(b.label))
    .slice(0, MOST_BARS);
  return barChart("Minutes captured per goal, least first", bars, "minutes", inMinutes);
}

async function topicChart() {
  const topics = (await requestJson(`${API}/topics`))?.topics ?? [];
  if (!topics.length) return empty("No topics yet.");
  const bars = topics
    .map((/** @type {any} */ topic) => {
      const minutes = Math.round(topic.minutes_approved ?? 0);
      const waiting = topic.suggested_passages ? `${topic.suggested_passages} to review` : "";
      return {
        label: topic.name,
        value: minutes,
        note: minutes ? waiting : waiting || "nothing approved",
      };
    })
    .sort((a, b) => a.value - b.value || a.label.localeCompare(b.label))
    .slice(0, MOST_BARS);
  return barChart("Approved minutes per topic, least first", bars, "minutes", inMinutes);
}

async function gapsChart() {
  const rows = (await requestJson(`${API}/analytics/search-gaps`))?.rows ?? [];
  if (!rows.length) return empty("Every question asked so far found an answer.");
  const bars = rows.slice(0, MOST_BARS).map((/** @type {any} */ row) => ({
    label: row.query,
    value: row.count,
    note: row.marked_unanswered ? `${row.marked_unanswered} said unanswered` : "",
  }));
  return barChart("Unanswered questions, most asked first", bars, "times asked", (times) =>
    times === 1 ? "asked once" : `asked ${times} times`,
  );
}

async function monthsChart() {
  const health = await requestJson(`${API}/analytics/programme-health`);
  const hours = Number(health?.hours_captured ?? 0);
  const overdue = health?.overdue_pairs?.length ?? 0;
  ui.summary.textContent =
    `${health?.active_pairs ?? 0} active pairs (${overdue} overdue), ${health?.sessions ?? 0} ` +
    `sessions, ${hours.toFixed(1)} hours captured in ${health?.recordings_ready ?? 0} recordings.`;
  const months = Object.entries(health?.sessions_per_month ?? {});
  if (!months.length) return empty("No sessions yet.");
  return columnChart(
    "Sessions per month",
    months.map(([month, count]) => ({ label: month, value: Number(count) })),
    "sessions",
  );
}

/** Called each time the view is shown: every chart loads afresh. */
export function enterDashboards() {
  setMessage(ui.message, "");
  fill(ui.risk, riskChart);
  fill(ui.goals, goalChart);
  fill(ui.topics, topicChart);
  fill(ui.gaps, gapsChart);
  fill(ui.months, monthsChart);
  ui.heading.focus();
}
