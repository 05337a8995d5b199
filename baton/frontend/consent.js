/**
 * Publishing a recording to the library, under its transcript: who has consented, each
 * participant giving or withdrawing consent for themselves, and publish or take out once everyone
 * has. Shown to those who look after the recording (its pair and the curators); the server
 * answers no one else, and then the section stays hidden.
 */

import { byId, el, setMessage } from "./dom.js";
import { recordingUrl, requestJson, sendJson } from "./http.js";

const ui = {
  consent: byId("consent"),
  consentState: byId("consent-state"),
  consentPeople: byId("consent-people"),
  consentGive: byId("consent-give"),
  consentWithdraw: byId("consent-withdraw"),
  publish: byId("publish-button"),
  unpublish: byId("unpublish-button"),
  consentMessage: byId("consent-message"),
};

/** The recording whose consent is shown, and the person the signed-in account is. */
const shown = {
  /** @type {string|null} */
  id: null,
  /** @type {string|null} */
  personId: null,
};

/**
 * @typedef {object} Consent
 * @property {boolean} published
 * @property {{person_id: string, name: string, given: boolean|null}[]} participants
 * @property {string[]} missing names of those who have not consented
 */

/**
 * Shows who has consented to publishing, for those who look after the recording (its pair
 * and the curators); the server answers no one else, and then the section stays hidden.
 * @param {string} id recording id
 * @param {string|null} personId the signed-in account's person, who may consent for themselves
 */
export async function loadConsent(id, personId) {
  shown.id = id;
  shown.personId = personId;
  ui.consent.hidden = true;
  setMessage(ui.consentMessage, "");
  let consent;
  try {
    consent = await requestJson(recordingUrl(id, "consent"));
  } catch {
    return;
  }
  if (shown.id === id) renderConsent(consent);
}

/** Hides the section for a reader of the library, who has no consent to give or see. */
export function hideConsent() {
  shown.id = null;
  ui.consent.hidden = true;
  setMessage(ui.consentMessage, "");
}

/**
 * @param {Consent} consent
 * @returns {string} where the recording stands, in a sentence
 */
function consentSummary(consent) {
  if (consent.published) return "Published: everyone signed in can find and play it.";
  if (!consent.participants.length) {
    return "Private. It belongs to no session, so no one can consent to publishing it yet.";
  }
  if (consent.missing.length) {
    return `Private: waiting for ${consent.missing.join(" and ")} to consent to publishing.`;
  }
  return "Private. Everyone has consented: it can be published.";
}

/** @param {Consent} consent */
function renderConsent(consent) {
  ui.consent.hidden = false;
  ui.consentState.textContent = consentSummary(consent);
  const said = { true: "consents", false: "withdrew consent", null: "has not answered" };
  ui.consentPeople.replaceChildren(
    ...consent.participants.map((person) =>
      el("li", {}, [`${person.name} ${said[String(person.given)] ?? said.null}`]),
    ),
  );
  const mine = consent.participants.find((p) => p.person_id === shown.personId);
  ui.consentGive.hidden = !mine || mine.given === true;
  ui.consentWithdraw.hidden = !mine || mine.given !== true;
  ui.publish.hidden = consent.published || !consent.participants.length || !!consent.missing.length;
  ui.unpublish.hidden = !consent.published;
}

/**
 * Sends one consent or publishing change and shows the new state.
 * @param {string} path under the recording, e.g. "consent"
 * @param {"POST"|"PUT"} method
 * @param {object} body
 * @param {string} done what to say when it worked
 */
async function changeConsent(path, method, body, done) {
  const id = shown.id;
  if (!id) return;
  try {
    const consent = await sendJson(recordingUrl(id, path), method, body);
    if (shown.id !== id) return;
    renderConsent(consent);
    setMessage(ui.consentMessage, done, "success");
  } catch (error) {
    setMessage(ui.consentMessage, error.message, "error");
  }
}

export function bindConsent() {
  ui.consentGive.addEventListener("click", () =>
    changeConsent("consent", "PUT", { given: true }, "Thank you: your consent is recorded."),
  );
  ui.consentWithdraw.addEventListener("click", () =>
    changeConsent("consent", "PUT", { given: false }, "Your consent is withdrawn."),
  );
  ui.publish.addEventListener("click", () =>
    changeConsent("publish", "POST", {}, "Published to the library."),
  );
  ui.unpublish.addEventListener("click", () =>
    changeConsent("unpublish", "POST", {}, "Taken out of the library."),
  );
}
