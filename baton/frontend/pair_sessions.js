/**
 * The sessions of the pairs an account belongs to (every pair, for curators), as choices for
 * filing a recording: "Graham Pickering & Priya Nair · 2026-03-10 · Ladle temperatures".
 */

import { API, requestJson } from "./http.js";

/**
 * @typedef {object} SessionChoice
 * @property {string} id
 * @property {string} label
 * @property {string} heldOn ISO date, for ordering
 */

/**
 * The pairs the account sees, and everyone's name by person id (empty when the account may not
 * list people: the pairs still come).
 * @returns {Promise<{pairs: any[], names: Map<string, string>}>}
 */
export async function myPairs() {
  const [found, people] = await Promise.all([
    requestJson(`${API}/pairs`),
    requestJson(`${API}/people`).catch(() => ({ people: [] })),
  ]);
  const names = new Map((people?.people ?? []).map((/** @type {any} */ p) => [p.id, p.name]));
  return { pairs: found?.pairs ?? [], names };
}

/**
 * @returns {Promise<SessionChoice[]>} newest first
 */
export async function mySessions() {
  const answer = await requestJson(`${API}/pairs`);
  /** @type {{id: string, name: string}[]} */
  const pairs = answer?.pairs ?? [];
  const lists = await Promise.all(
    pairs.map((pair) =>
      requestJson(`${API}/pairs/${encodeURIComponent(pair.id)}/sessions`).then(
        (found) => ({ pair, sessions: found?.sessions ?? [] }),
        () => ({ pair, sessions: [] }),
      ),
    ),
  );
  /** @type {SessionChoice[]} */
  const choices = [];
  for (const { pair, sessions } of lists) {
    for (const meeting of sessions) {
      const title = meeting.title ? ` · ${meeting.title}` : "";
      choices.push({
        id: meeting.id,
        label: `${pair.name} · ${meeting.held_on}${title}`,
        heldOn: meeting.held_on,
      });
    }
  }
  return choices.sort((a, b) => b.heldOn.localeCompare(a.heldOn) || a.label.localeCompare(b.label));
}
