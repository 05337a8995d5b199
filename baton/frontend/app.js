/**
 * Baton's page: signing in, the views behind the navigation bar, and the Sessions view itself
 * (the library with each recording's progress, the player, and the transcript with its voices,
 * corrections and history). Uploading, search, consent, filming, pairs, topics, review and
 * dashboards live in modules of their own.
 *
 * Buildless ES modules: strict by default, nothing is attached to `window`.
 * Server text only ever reaches the page through `textContent` / text nodes.
 */

import {
  asSentence,
  clamp,
  el,
  formatCreated,
  formatTime,
  humanizeStage,
  languageName,
  setMessage,
} from "./dom.js";
import { API, ApiError, recordingUrl, requestJson, sendJson, whenSessionEnds } from "./http.js";
import { bindConsent, hideConsent, loadConsent } from "./consent.js";
import { enterDashboards } from "./dashboards.js";
import { bindFilm, enterFilm, leaveFilm } from "./film.js";
import { bindFirstVisit, loadFirstVisit } from "./first_visit.js";
import { bindPairs, enterPairs } from "./pairs.js";
import { openRedactor } from "./redactor.js";
import { bindReview, enterReview } from "./review.js";
import { bindPlayerControls, showSpeakersOnTimeline } from "./player.js";
import { bindSearch, forgetHits, hitStarts, markPlayingHit } from "./search.js";
import { bindTopics, enterTopics } from "./topics.js";
import { bindTranscriptFind, refreshFind } from "./transcript_find.js";
import { bindUpload, loadUploadSessions } from "./upload.js";
import { addView, momentHash, startViews } from "./views.js";

const POLL_INTERVAL_MS = 1500;
const POLL_RETRY_MS = 5000;
const HIGHLIGHT_MS = 2500;
/** Transcript downloads: file extension and the name people know the format by. */
const EXPORT_FORMATS = [
  ["srt", "SRT"],
  ["vtt", "WebVTT"],
  ["txt", "Text"],
  ["md", "Markdown"],
  ["json", "JSON"],
];

/** Statuses after which a recording no longer changes on its own. */
const SETTLED = new Set(["ready", "failed"]);

/** @type {Record<string, string>} */
const STATUS_LABELS = {
  queued: "Queued",
  processing: "Processing",
  ready: "Ready",
  failed: "Failed",
};

/**
 * @typedef {object} Recording
 * @property {string} id
 * @property {string} title
 * @property {"queued"|"processing"|"ready"|"failed"} status
 * @property {string|null} stage
 * @property {number} progress 0..1
 * @property {string|null} error
 * @property {number|null} duration seconds
 * @property {string|null} language
 * @property {string} created ISO timestamp
 * @property {boolean} [duplicate]
 * @property {boolean} [published] in the library for everyone signed in
 * @property {boolean} [refining] a more accurate transcript is being made (still searchable)
 * @property {boolean} [works_on] the caller works on it: consent, voices and corrections
 * @property {string|null} [session_id]
 */

/**
 * @typedef {object} Speaker
 * @property {string} label S1, S2…
 * @property {string} name the person's name, or "Speaker 1" while unnamed
 * @property {string|null} person_id
 * @property {"person"|"voice_print"|null} named_by
 * @property {number|null} confidence 0..1, for a name matched by voice print
 */

/**
 * @typedef {object} Segment
 * @property {number} id
 * @property {number} start seconds
 * @property {number} end seconds
 * @property {string} text
 * @property {Speaker|null} speaker
 * @property {{word: string, start: number, end: number}[]} [words] timed words
 */

/**
 * @typedef {object} Edit a correction of one segment, as the history lists it
 * @property {number} id
 * @property {number} start seconds
 * @property {"text"|"speaker"} field
 * @property {any} before text, or {label, person_id} for a speaker
 * @property {any} after
 * @property {string} edited_by
 * @property {string} edited_at ISO timestamp
 * @property {number|null} reverts_id set when this edit undoes another
 * @property {string|null} reverted_at
 * @property {string|null} reverted_by
 */

/**
 * @typedef {object} Transcript the transcript shown under the player
 * @property {string} id recording id
 * @property {Speaker[]} speakers
 * @property {Map<number, Segment>} segments by id, in time order
 * @property {Map<number, PassageTag[]>} tagsAt the goals and topics of the passage each line
 *   begins
 * @property {number|null} currentId the line being played
 */

/**
 * @typedef {object} PassageTag a goal or topic of a passage of the transcript
 * @property {"goal"|"topic"} kind
 * @property {string} name
 * @property {number} start seconds
 * @property {"confirmed"|"suggested"} status
 */

/**
 * Places each tag on the line where its passage begins (the first line still running then).
 * @param {Segment[]} segments in time order
 * @param {PassageTag[]} tags
 * @returns {Map<number, PassageTag[]>}
 */
function tagsByLine(segments, tags) {
  /** @type {Map<number, PassageTag[]>} */
  const placed = new Map();
  for (const tag of tags) {
    const line = segments.find((segment) => segment.end > tag.start);
    if (!line) continue;
    const here = placed.get(line.id) ?? [];
    if (!here.some((other) => other.kind === tag.kind && other.name === tag.name)) here.push(tag);
    placed.set(line.id, here);
  }
  return placed;
}

/* ------------------------------------------------------------------------------------------ */
/* Page state and elements                                                                     */
/* ------------------------------------------------------------------------------------------ */

const state = {
  /** @type {Map<string, Recording>} latest known recordings by id */
  recordings: new Map(),
  pollTimer: 0,
  /** Bumped on every library request so a stale answer is ignored. */
  libraryGeneration: 0,
  pollWhenVisible: false,
  libraryLoadFailed: false,
  /** @type {string|null} recording to flash once it appears in the list */
  highlightId: null,
  /** @type {{id: string, title: string|null, start: number}|null} what the player shows */
  player: null,
  /** @type {number|null} seek to apply once the media's metadata has loaded */
  pendingSeek: null,
  /** @type {Transcript|null} */
  transcript: null,
  /** @type {{email: string, roles: string[], person_id: string|null}|null} who is signed in */
  user: null,
};

/**
 * Looks up every element the page script needs, failing loudly if the HTML changed.
 * @returns {Record<string, HTMLElement>}
 */
function collectElements() {
  const ids = {
    libraryHeading: "library-heading",
    refreshButton: "refresh-button",
    libraryMessage: "library-message",
    libraryEmpty: "library-empty",
    recordings: "recordings",
    playerCard: "player-card",
    playerTitle: "player-title",
    player: "player",
    closePlayer: "close-player",
    copyLink: "copy-link-button",
    momentLinkRow: "moment-link-row",
    momentLink: "moment-link",
    playerMessage: "player-message",
    playerSpeed: "player-speed",
    playerTimeline: "player-timeline",
    timelineLegend: "timeline-legend",
    transcriptFind: "transcript-find",
    transcriptFindCount: "transcript-find-count",
    transcriptFindPrevious: "transcript-find-previous",
    transcriptFindNext: "transcript-find-next",
    transcriptCard: "transcript-card",
    exportLinks: "export-links",
    voices: "voices",
    voicesMessage: "voices-message",
    voicesHeading: "voices-heading",
    app: "app",
    account: "account",
    viewsNav: "views-nav",
    accountEmail: "account-email",
    signOut: "sign-out-button",
    signIn: "sign-in",
    signInForm: "sign-in-form",
    signInEmail: "sign-in-email",
    signInPassword: "sign-in-password",
    signInButton: "sign-in-button",
    signInMessage: "sign-in-message",
    ssoRow: "sso-row",
    ssoLink: "sso-link",
    transcriptMessage: "transcript-message",
    segments: "segments",
    history: "history",
    historySummary: "history-summary",
    historyMessage: "history-message",
    edits: "edits",
  };
  /** @type {Record<string, HTMLElement>} */
  const found = {};
  for (const [key, id] of Object.entries(ids)) {
    const node = document.getElementById(id);
    if (!node) throw new Error(`Baton page is missing the element #${id}.`);
    found[key] = node;
  }
  return found;
}

const ui = collectElements();

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                               */
/* ------------------------------------------------------------------------------------------ */

/**
 * @param {string} id recording id
 * @returns {string} the URL its media is served from
 */
function mediaUrl(id) {
  return recordingUrl(id, "media");
}

/* ------------------------------------------------------------------------------------------ */
/* Library                                                                                     */
/* ------------------------------------------------------------------------------------------ */

/**
 * Builds an empty list item for one recording; {@link updateRecordingItem} fills it in.
 * @param {Recording} recording
 * @returns {HTMLElement}
 */
function createRecordingItem(recording) {
  return el("li", { className: "recording", dataset: { id: recording.id } }, [
    el("div", { className: "recording__body" }, [
      el("h3", { className: "recording__title" }),
      el("p", { className: "recording__meta" }, [
        el("span", { className: "badge" }),
        el("span", { className: "recording__details" }),
      ]),
      el("div", { className: "recording__progress" }, [
        el("span", { className: "recording__stage" }),
        el("progress", { max: 1, value: 0 }),
      ]),
      el("p", { className: "recording__error" }),
    ]),
    el("div", { className: "recording__actions" }, [
      el(
        "button",
        { type: "button", className: "btn btn--secondary btn--small", dataset: { action: "play" } },
        ["Play"],
      ),
      el(
        "button",
        {
          type: "button",
          className: "btn btn--danger btn--small",
          dataset: { action: "delete" },
          "data-needs": "contributor",
        },
        ["Delete"],
      ),
    ]),
  ]);
}

/**
 * Describes where processing stands, e.g. "Transcribing · 42%".
 * @param {Recording} recording
 * @returns {string}
 */
function stageText(recording) {
  const percent = Math.round(clamp(Number(recording.progress) || 0, 0, 1) * 100);
  if (recording.status === "queued" && !recording.stage) return "Waiting in the queue";
  const stage = recording.stage ? humanizeStage(recording.stage) : "Processing";
  return `${stage} · ${percent}%`;
}

/**
 * The line under the title: duration, language, upload time.
 * @param {Recording} recording
 * @returns {string}
 */
function detailsText(recording) {
  const parts = [];
  if (typeof recording.duration === "number") parts.push(formatTime(recording.duration));
  if (recording.language) parts.push(languageName(recording.language));
  if (recording.status === "ready") parts.push(recording.published ? "In the library" : "Private");
  if (recording.refining) parts.push("Improving the transcript…");
  const created = recording.created ? formatCreated(recording.created) : "";
  if (created) parts.push(created);
  return parts.join(" · ");
}

/**
 * Brings a list item up to date in place, so focus on its buttons survives polling.
 * @param {HTMLElement} item
 * @param {Recording} recording
 */
function updateRecordingItem(item, recording) {
  const title = recording.title || "Untitled recording";
  const settled = SETTLED.has(recording.status);
  const find = (/** @type {string} */ selector) =>
    /** @type {HTMLElement} */ (item.querySelector(selector));

  item.dataset.status = recording.status;
  find(".recording__title").textContent = title;
  find(".badge").textContent = STATUS_LABELS[recording.status] ?? recording.status;
  find(".recording__details").textContent = detailsText(recording);

  const progressBox = find(".recording__progress");
  progressBox.hidden = settled;
  if (!settled) {
    const text = stageText(recording);
    const bar = /** @type {HTMLProgressElement} */ (find("progress"));
    find(".recording__stage").textContent = text;
    bar.value = clamp(Number(recording.progress) || 0, 0, 1);
    bar.setAttribute("aria-label", `${title}: ${text}`);
  }

  const error = find(".recording__error");
  error.hidden = recording.status !== "failed";
  const reason = recording.error || "processing stopped for an unknown reason. Upload it again.";
  error.textContent = recording.status === "failed" ? `Failed: ${reason}` : "";

  const play = find('[data-action="play"]');
  play.hidden = recording.status !== "ready";
  play.setAttribute("aria-label", `Play “${title}”`);
  find('[data-action="delete"]').setAttribute("aria-label", `Delete “${title}”`);
}

/**
 * @param {string} id
 * @returns {HTMLElement|null} the list item for a recording
 */
function findRecordingItem(id) {
  for (const item of ui.recordings.children) {
    const element = /** @type {HTMLElement} */ (item);
    if (element.dataset.id === id) return element;
  }
  return null;
}

/**
 * Flashes a list item (a fresh upload, or the original of a duplicate).
 * @param {HTMLElement} item
 */
function flashItem(item) {
  item.classList.add("is-highlighted");
  item.scrollIntoView({ block: "nearest", behavior: scrollBehavior() });
  window.setTimeout(() => item.classList.remove("is-highlighted"), HIGHLIGHT_MS);
}

/**
 * Makes the list match `recordings` (server order), reusing existing items.
 * @param {Recording[]} recordings
 */
function renderLibrary(recordings) {
  const list = ui.recordings;
  const seen = new Set();
  recordings.forEach((recording, index) => {
    seen.add(recording.id);
    const item = findRecordingItem(recording.id) ?? createRecordingItem(recording);
    updateRecordingItem(item, recording);
    const current = list.children[index];
    if (current !== item) list.insertBefore(item, current ?? null);
  });
  for (const item of Array.from(list.children)) {
    if (!seen.has(/** @type {HTMLElement} */ (item).dataset.id)) item.remove();
  }
  ui.libraryEmpty.hidden = recordings.length > 0;

  if (state.highlightId) {
    const item = findRecordingItem(state.highlightId);
    if (item) {
      state.highlightId = null;
      flashItem(item);
    }
  }
}

/**
 * Announces recordings that finished (or failed) since the last look.
 * @param {Map<string, Recording>} previous
 * @param {Recording[]} recordings
 */
function announceTransitions(previous, recordings) {
  const finished = recordings.filter((recording) => {
    const before = previous.get(recording.id);
    return before && !SETTLED.has(before.status) && SETTLED.has(recording.status);
  });
  if (finished.length === 0) return;
  const sentences = finished.map((recording) =>
    recording.status === "ready"
      ? `“${recording.title}” is ready to search.`
      : `“${recording.title}” failed: ${asSentence(recording.error || "unknown reason")}`,
  );
  const anyFailed = finished.some((recording) => recording.status === "failed");
  setMessage(ui.libraryMessage, sentences.join(" "), anyFailed ? "error" : "success");
}

/**
 * Schedules the next library refresh, pausing while the tab is hidden.
 * @param {number} delay milliseconds
 */
function schedulePoll(delay) {
  window.clearTimeout(state.pollTimer);
  state.pollTimer = window.setTimeout(() => {
    state.pollTimer = 0;
    if (!state.user) return;
    if (document.hidden) {
      state.pollWhenVisible = true;
      return;
    }
    refreshLibrary();
  }, delay);
}

/** @returns {boolean} whether any known recording is still being processed */
function anyUnsettled() {
  for (const recording of state.recordings.values()) {
    if (!SETTLED.has(recording.status) || recording.refining) return true;
  }
  return false;
}

/**
 * Loads the library and keeps polling every 1.5 s while anything is still processing.
 * @returns {Promise<void>}
 */
async function refreshLibrary() {
  window.clearTimeout(state.pollTimer);
  state.pollTimer = 0;
  const generation = ++state.libraryGeneration;
  // Only the first load is announced as busy; polls update items quietly in place.
  if (ui.recordings.children.length === 0) ui.recordings.setAttribute("aria-busy", "true");
  let data;
  try {
    data = await requestJson(`${API}/recordings`);
  } catch (error) {
    if (generation !== state.libraryGeneration) return;
    ui.recordings.removeAttribute("aria-busy");
    state.libraryLoadFailed = true;
    setMessage(ui.libraryMessage, `Could not load the library: ${error.message}`, "error");
    if (anyUnsettled()) schedulePoll(POLL_RETRY_MS);
    return;
  }
  if (generation !== state.libraryGeneration) return;
  ui.recordings.removeAttribute("aria-busy");

  /** @type {Recording[]} */
  const recordings = Array.isArray(data?.recordings) ? data.recordings : [];
  const previous = state.recordings;
  state.recordings = new Map(recordings.map((recording) => [recording.id, recording]));
  if (state.libraryLoadFailed) {
    state.libraryLoadFailed = false;
    setMessage(ui.libraryMessage, "");
  }
  renderLibrary(recordings);
  announceTransitions(previous, recordings);
  syncPlayerTitle();
  if (anyUnsettled()) schedulePoll(POLL_INTERVAL_MS);
}

/**
 * Deletes a recording after the user confirms.
 * @param {string} id
 * @param {HTMLButtonElement} button the delete button, disabled while the request runs
 * @returns {Promise<void>}
 */
async function deleteRecording(id, button) {
  const title = state.recordings.get(id)?.title || "this recording";
  const sure = window.confirm(
    `Delete “${title}”? Its transcript and search results go too. This cannot be undone.`,
  );
  if (!sure) return;
  button.disabled = true;
  try {
    await requestJson(recordingUrl(id), { method: "DELETE" });
  } catch (error) {
    // 404: it is already gone, which is what the user wanted.
    if (!(error instanceof ApiError) || error.status !== 404) {
      button.disabled = false;
      setMessage(ui.libraryMessage, `Could not delete “${title}”: ${error.message}`, "error");
      return;
    }
  }
  forgetRecording(id);
  setMessage(ui.libraryMessage, `Deleted “${title}”.`, "success");
  ui.libraryHeading.focus();
  refreshLibrary();
}

/**
 * Removes every trace of a deleted recording from the page.
 * @param {string} id
 */
function forgetRecording(id) {
  state.recordings.delete(id);
  findRecordingItem(id)?.remove();
  ui.libraryEmpty.hidden = ui.recordings.children.length > 0;
  forgetHits(id);
  if (state.player?.id === id) closePlayer();
}

/** Wires the library list (one delegated listener for all item buttons). */
function bindLibrary() {
  ui.recordings.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button[data-action]");
    const item = button?.closest("li[data-id]");
    if (!button || !item) return;
    const id = /** @type {HTMLElement} */ (item).dataset.id ?? "";
    if (button.dataset.action === "delete") {
      deleteRecording(id, /** @type {HTMLButtonElement} */ (button));
    } else if (button.dataset.action === "play") {
      openPlayer({ id, title: state.recordings.get(id)?.title ?? null, start: 0 });
    }
  });
  ui.refreshButton.addEventListener("click", () => refreshLibrary());
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && state.pollWhenVisible) {
      state.pollWhenVisible = false;
      refreshLibrary();
    }
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Player                                                                                      */
/* ------------------------------------------------------------------------------------------ */

/** @returns {ScrollBehavior} "auto" for people who asked for reduced motion */
function scrollBehavior() {
  const reduce = window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
  return reduce ? "auto" : "smooth";
}

/** @returns {HTMLVideoElement} */
function video() {
  return /** @type {HTMLVideoElement} */ (ui.player);
}

/**
 * Reads `#play=<id>&t=<seconds>`.
 * @param {string} hash location.hash
 * @returns {{id: string, start: number}|null}
 */
function parseMomentHash(hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ""));
  const id = params.get("play");
  if (!id) return null;
  const seconds = Number.parseFloat(params.get("t") ?? "0");
  return { id, start: Number.isFinite(seconds) && seconds > 0 ? seconds : 0 };
}

/**
 * Keeps the address bar pointing at the moment shown, without adding history entries.
 * @param {string} hash "" to clear
 */
function replaceHash(hash) {
  const url = `${window.location.pathname}${window.location.search}${hash}`;
  window.history.replaceState(window.history.state, "", url);
}

/** @returns {number} the moment the player is at (or about to seek to) */
function currentMoment() {
  if (state.pendingSeek !== null) return state.pendingSeek;
  return video().currentTime || state.player?.start || 0;
}

/** Shows the recording's title in the player once the library knows it. */
function syncPlayerTitle() {
  if (!state.player || state.player.title) return;
  const title = state.recordings.get(state.player.id)?.title;
  if (title) {
    state.player.title = title;
    ui.playerTitle.textContent = title;
  }
}

/** Starts playback, explaining when the browser wants a tap first. */
function startPlayback() {
  const start = state.player?.start ?? 0;
  video()
    .play()
    .catch((error) => {
      if (error?.name === "NotAllowedError") {
        setMessage(ui.playerMessage, `Press play to listen from ${formatTime(start)}.`, "info");
      }
      // AbortError: another source was chosen before this one started; nothing to report.
    });
}

/**
 * Opens the player at a moment of a recording and plays it.
 * @param {{id: string, title: string|null, start: number}} moment
 */
function openPlayer({ id, title, start }) {
  if (!id) return;
  const media = video();
  const knownTitle = title || state.recordings.get(id)?.title || null;
  state.player = { id, title: knownTitle, start };
  ui.playerTitle.textContent = knownTitle ?? "Recording";
  ui.playerCard.hidden = false;
  media.hidden = false;
  ui.momentLinkRow.hidden = true;
  replaceHash(momentHash(id, start));

  if (media.dataset.recordingId !== id) {
    media.dataset.recordingId = id;
    media.classList.remove("is-audio-only");
    state.pendingSeek = start;
    media.src = mediaUrl(id);
    loadTranscript(id);
  } else if (media.readyState >= HTMLMediaElement.HAVE_METADATA) {
    state.pendingSeek = null;
    media.currentTime = clampToDuration(start);
  } else {
    state.pendingSeek = start;
  }

  const what = knownTitle ? `“${knownTitle}” ` : "";
  setMessage(ui.playerMessage, `Playing ${what}from ${formatTime(start)}.`);
  // play() is called now, inside the click, so browsers that need a gesture allow it;
  // the seek to `start` happens as soon as the metadata has loaded.
  startPlayback();
  ui.playerCard.scrollIntoView({ block: "nearest", behavior: scrollBehavior() });
}

/**
 * Keeps a seek inside the media.
 * @param {number} seconds
 * @returns {number}
 */
function clampToDuration(seconds) {
  const duration = video().duration;
  return Number.isFinite(duration) ? clamp(seconds, 0, duration) : Math.max(0, seconds);
}

/** Applies the pending seek once the media's metadata is known. */
function onMetadataLoaded() {
  const media = video();
  // Audio-only media has no picture: shrink the element to its controls.
  media.classList.toggle("is-audio-only", media.videoWidth === 0);
  if (state.pendingSeek !== null) {
    media.currentTime = clampToDuration(state.pendingSeek);
    state.pendingSeek = null;
  }
}

/** Explains a media error in words. */
function onMediaError() {
  const media = video();
  if (!media.getAttribute("src")) return;
  setMessage(
    ui.playerMessage,
    "This recording could not be played. It may have been deleted, " +
      "or this browser cannot play its format.",
    "error",
  );
}

/** Stops playback and hides the player. */
function closePlayer() {
  const media = video();
  media.pause();
  media.removeAttribute("src");
  delete media.dataset.recordingId;
  media.load();
  state.player = null;
  state.pendingSeek = null;
  state.transcript = null;
  ui.playerCard.hidden = true;
  ui.transcriptCard.hidden = true;
  setMessage(ui.playerMessage, "");
  markPlayingHit(null);
  if (parseMomentHash(window.location.hash)) replaceHash("");
}

/**
 * Copies text to the clipboard; false when the browser refused (e.g. plain http).
 * @param {string} text
 * @returns {Promise<boolean>}
 */
async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the older way
    }
  }
  const field = el("textarea", { className: "offscreen", readOnly: true, value: text });
  document.body.append(field);
  /** @type {HTMLTextAreaElement} */ (field).select();
  let copied = false;
  try {
    copied = document.execCommand("copy");
  } catch {
    copied = false;
  }
  field.remove();
  return copied;
}

/** Copies a link that reopens the player at the current moment. */
async function copyMomentLink() {
  if (!state.player) return;
  const seconds = currentMoment();
  const hash = momentHash(state.player.id, seconds);
  const { origin, pathname, search } = window.location;
  const link = `${origin}${pathname}${search}${hash}`;
  replaceHash(hash);
  const input = /** @type {HTMLInputElement} */ (ui.momentLink);
  input.value = link;
  ui.momentLinkRow.hidden = false;
  if (await copyText(link)) {
    setMessage(ui.playerMessage, `Link to ${formatTime(seconds)} copied.`, "success");
  } else {
    input.focus();
    input.select();
    setMessage(
      ui.playerMessage,
      "Copying was blocked by the browser. The link is selected below: copy it from there.",
      "warning",
    );
  }
}

/** Opens the player if the address holds `#play=<id>&t=<seconds>`. */
/**
 * Opens the moment a link points at, once the server says this account may see it. A
 * recording someone may not see answers as one that does not exist, and the page says so.
 * @returns {Promise<void>}
 */
async function openPlayerFromHash() {
  const moment = parseMomentHash(window.location.hash);
  // Signed out, the link waits in the address bar: signing in opens it.
  if (!moment || !state.user) return;
  /** @type {Recording} */
  let recording;
  try {
    recording = await requestJson(recordingUrl(moment.id));
  } catch (error) {
    if (parseMomentHash(window.location.hash)?.id !== moment.id) return;
    closePlayer();
    ui.playerCard.hidden = false;
    video().hidden = true;
    ui.playerTitle.textContent = "Recording not available";
    const reason =
      error.status === 404
        ? "This link points to a recording that does not exist, or that your account may " +
          "not see. Ask the mentors who recorded it, or a curator, for access."
        : `The recording could not be opened: ${error.message}`;
    setMessage(ui.playerMessage, reason, "error");
    return;
  }
  openPlayer({ id: recording.id, title: recording.title, start: moment.start });
}

/** Wires the player. */
function bindPlayer() {
  const media = video();
  media.addEventListener("loadedmetadata", onMetadataLoaded);
  media.addEventListener("error", onMediaError);
  media.addEventListener("timeupdate", highlightCurrentSegment);
  media.addEventListener("seeked", highlightCurrentSegment);
  ui.closePlayer.addEventListener("click", closePlayer);
  ui.copyLink.addEventListener("click", () => {
    copyMomentLink();
  });
  window.addEventListener("hashchange", openPlayerFromHash);
  bindPlayerControls({
    media,
    card: ui.playerCard,
    speed: /** @type {HTMLSelectElement} */ (ui.playerSpeed),
    timeline: ui.playerTimeline,
    legend: ui.timelineLegend,
    hitsOf: hitStarts,
  });
  bindTranscriptFind({
    input: /** @type {HTMLInputElement} */ (ui.transcriptFind),
    list: ui.segments,
    count: ui.transcriptFindCount,
    previous: ui.transcriptFindPrevious,
    next: ui.transcriptFindNext,
    playLine: (lineId) => {
      const segment = state.transcript?.segments.get(lineId);
      if (segment && state.player) {
        openPlayer({ id: state.player.id, title: state.player.title, start: segment.start });
      }
    },
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Transcript and corrections                                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * A speaker as people read it; an automatic name says so: "Graham Pickering (auto, 92%)".
 * @param {Speaker|null} speaker
 * @returns {string}
 */
function speakerName(speaker) {
  if (!speaker) return "Unknown speaker";
  if (speaker.named_by !== "voice_print") return speaker.name;
  const confidence = speaker.confidence;
  const sure = typeof confidence === "number" ? `, ${Math.round(confidence * 100)}%` : "";
  return `${speaker.name} (auto${sure})`;
}

/**
 * The goals and topics of the passage that begins on a line ("" when none).
 * @param {number} id segment id
 * @returns {HTMLElement|string}
 */
function lineTags(id) {
  const tags = state.transcript?.tagsAt.get(id) ?? [];
  if (!tags.length) return "";
  return el(
    "ul",
    { className: "tags", "aria-label": "Goals and topics of the passage from here" },
    tags.map((tag) =>
      el(
        "li",
        {
          className: `tag${tag.status === "suggested" ? " tag--suggested" : ""}`,
          title: tag.status === "suggested" ? "Suggested by Baton, not yet approved" : "",
        },
        [
          `${tag.kind === "goal" ? "Goal" : "Topic"}: ${tag.name}${tag.status === "suggested" ? " (suggested)" : ""}`,
        ],
      ),
    ),
  );
}

/**
 * One transcript line: its time (a button that seeks there), speaker, words and Edit button.
 * @param {Segment} segment
 * @returns {HTMLElement}
 */
function createSegmentItem(segment) {
  const time = formatTime(segment.start);
  return el("li", { className: "segment", dataset: { id: String(segment.id) } }, [
    el("div", { className: "segment__head" }, [
      el(
        "button",
        {
          type: "button",
          className: "segment__time",
          dataset: { action: "seek" },
          "aria-label": `Play from ${time}`,
        },
        [time],
      ),
      el("span", { className: "segment__speaker" }, [speakerName(segment.speaker)]),
      el(
        "button",
        {
          type: "button",
          className: "btn btn--ghost btn--small segment__edit",
          dataset: { action: "edit" },
          "aria-label": `Edit the line at ${time}`,
          "data-needs": "contributor",
        },
        ["Edit"],
      ),
      el(
        "button",
        {
          type: "button",
          className: "btn btn--ghost btn--small segment__redact",
          dataset: { action: "redact" },
          "aria-label": `Redact words of the line at ${time}`,
          "data-needs": "contributor",
        },
        ["Redact"],
      ),
    ]),
    el("p", { className: "segment__text" }, [segment.text]),
    lineTags(segment.id),
    el("p", { className: "inline-error", role: "alert" }),
  ]);
}

/**
 * @param {number|null} id segment id
 * @returns {HTMLElement|null} its line
 */
function findSegmentItem(id) {
  return id === null ? null : ui.segments.querySelector(`li.segment[data-id="${id}"]`);
}

/**
 * Loads and shows the transcript of the recording the player just opened.
 * @param {string} id
 * @returns {Promise<void>}
 */
async function loadTranscript(id) {
  state.transcript = null;
  ui.transcriptCard.hidden = false;
  ui.segments.replaceChildren();
  showSpeakersOnTimeline([]);
  ui.edits.replaceChildren();
  /** @type {HTMLDetailsElement} */ (ui.history).open = false;
  setMessage(ui.historyMessage, "");
  ui.exportLinks.replaceChildren(
    ...EXPORT_FORMATS.map(([extension, name]) =>
      el("a", { href: recordingUrl(id, `export.${extension}`), download: "" }, [name]),
    ),
    // The player may be playing a copy made for the browser; this is the file as uploaded.
    el("a", { href: `${recordingUrl(id, "media")}?original=true`, download: "" }, [
      "Original recording",
    ]),
  );
  setMessage(ui.transcriptMessage, "Loading the transcript…");
  let data;
  try {
    data = await requestJson(recordingUrl(id, "transcript"));
  } catch (error) {
    if (state.player?.id === id) {
      setMessage(ui.transcriptMessage, `Could not load the transcript: ${error.message}`, "error");
    }
    return;
  }
  if (state.player?.id !== id) return;
  /** @type {Segment[]} */
  const segments = Array.isArray(data?.segments) ? data.segments : [];
  state.transcript = {
    id,
    speakers: Array.isArray(data?.speakers) ? data.speakers : [],
    segments: new Map(segments.map((segment) => [segment.id, segment])),
    tagsAt: tagsByLine(segments, Array.isArray(data?.tags) ? data.tags : []),
    currentId: null,
  };
  ui.segments.replaceChildren(...segments.map(createSegmentItem));
  refreshFind();
  showSpeakersOnTimeline(
    segments.map((segment) => ({
      start: segment.start,
      end: segment.end,
      speaker: speakerName(segment.speaker),
    })),
  );
  setMessage(
    ui.transcriptMessage,
    segments.length ? "" : "There is no transcript yet: it appears once processing finishes.",
  );
  highlightCurrentSegment();
  // Consent and naming voices belong to those who work on the recording; a reader of the
  // library only plays it, so the page does not ask for what the server would refuse.
  let recording = null;
  try {
    recording = await requestJson(recordingUrl(id));
  } catch {
    // the transcript is shown; without the recording's details the panels stay closed
  }
  if (state.player?.id !== id) return;
  const worksOn = Boolean(recording?.works_on);
  loadVoices(id, worksOn ? recording : null);
  if (worksOn) loadConsent(id, state.user?.person_id ?? null);
  else hideConsent();
}

/**
 * Lists the recording's voices, each with a choice of who it is: the session's participants
 * (everyone, for a recording outside a session). Naming a voice teaches Baton that person's
 * voice, so their next sessions are named automatically.
 * @param {string} id recording id
 * @param {Recording|null} recording its details, for those who work on it (null: nobody asks)
 */
async function loadVoices(id, recording) {
  ui.voices.replaceChildren();
  setMessage(ui.voicesMessage, "");
  // Naming voices is for those who work on the recording; everyone sees the names on the lines.
  showVoices(recording !== null);
  if (!recording) return;
  let voices;
  let people;
  try {
    const [found, everyone] = await Promise.all([
      requestJson(recordingUrl(id, "speakers")),
      requestJson(`${API}/people`),
    ]);
    voices = Array.isArray(found) ? found : [];
    people = Array.isArray(everyone?.people) ? everyone.people : [];
    if (recording?.session_id) {
      const meeting = await requestJson(
        `${API}/sessions/${encodeURIComponent(recording.session_id)}`,
      ).catch((error) => {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      });
      // A published session of another pair: its people are not this mentor's to name.
      if (meeting === null) {
        showVoices(false);
        return;
      }
      const present = new Set(meeting?.participant_ids ?? []);
      if (present.size) people = people.filter((person) => present.has(person.id));
    }
  } catch (error) {
    if (state.player?.id === id) {
      setMessage(ui.voicesMessage, `Could not load the speakers: ${error.message}`, "error");
    }
    return;
  }
  if (state.player?.id !== id) return;
  ui.voices.replaceChildren(
    ...voices.map((voice) => {
      const selectId = `voice-${voice.label}`;
      const choice = el("select", { id: selectId, dataset: { label: voice.label } }, [
        el("option", { value: "" }, ["Not named yet"]),
        ...people.map((person) =>
          el("option", { value: person.id, selected: person.id === voice.person_id }, [
            person.name,
          ]),
        ),
      ]);
      return el("li", { className: "voice" }, [
        el("label", { htmlFor: selectId }, [
          `${unnamedSpeaker(voice.label)} (${formatTime(voice.seconds)} spoken) is`,
        ]),
        choice,
        el("span", { className: "voice__how" }, [
          voice.named_by === "voice_print"
            ? `matched by voice, ${Math.round((voice.confidence ?? 0) * 100)}% alike`
            : "",
        ]),
      ]);
    }),
  );
  if (!voices.length) setMessage(ui.voicesMessage, "No voices have been found yet.");
}

/**
 * Shows or hides the "Who is speaking" panel, where voices are named.
 * @param {boolean} shown
 */
function showVoices(shown) {
  for (const part of [ui.voicesHeading, ui.voices, ui.voicesMessage]) part.hidden = !shown;
}

/**
 * What the transcript calls a voice nobody has named: "Speaker 1" for S1, as the server does
 * (``speakers/names.py``), so that one voice has one name on the page.
 * @param {string} label
 * @returns {string}
 */
function unnamedSpeaker(label) {
  return label.replace(/^S(\d+)$/, "Speaker $1");
}

/**
 * Names a voice after the person chosen, then shows the transcript with the new names.
 * @param {HTMLSelectElement} select
 */
async function nameVoice(select) {
  const id = state.player?.id;
  if (!id) return;
  const label = select.dataset.label ?? "";
  select.disabled = true;
  try {
    await sendJson(recordingUrl(id, `speakers/${encodeURIComponent(label)}`), "PUT", {
      person_id: select.value || null,
    });
    await loadTranscript(id);
    setMessage(ui.voicesMessage, `Saved who ${unnamedSpeaker(label)} is.`, "success");
  } catch (error) {
    setMessage(ui.voicesMessage, error.message, "error");
    select.disabled = false;
  }
}

/** Marks the line being played and keeps it in view inside the scrolling list. */
function highlightCurrentSegment() {
  const transcript = state.transcript;
  if (!transcript) return;
  const now = currentMoment();
  let currentId = null;
  for (const segment of transcript.segments.values()) {
    if (segment.start <= now && now < segment.end) currentId = segment.id;
  }
  if (currentId === transcript.currentId) return;
  transcript.currentId = currentId;
  for (const line of ui.segments.querySelectorAll("li.segment.is-current")) {
    line.classList.remove("is-current");
    line.removeAttribute("aria-current");
  }
  const item = findSegmentItem(currentId);
  if (!item) return;
  item.classList.add("is-current");
  item.setAttribute("aria-current", "true");
  // Scrolling under someone's hands (or focus) while they edit would lose their place.
  const list = ui.segments;
  if (list.contains(document.activeElement)) return;
  const top = item.offsetTop;
  if (top < list.scrollTop || top + item.offsetHeight > list.scrollTop + list.clientHeight) {
    list.scrollTo({ top: top - list.clientHeight / 3, behavior: scrollBehavior() });
  }
}

/**
 * Opens a line's inline editor: its words and its speaker (one editor at a time).
 * @param {HTMLElement} item
 */
function openEditor(item) {
  const transcript = state.transcript;
  const segment = transcript?.segments.get(Number(item.dataset.id));
  if (!transcript || !segment) return;
  for (const open of ui.segments.querySelectorAll("li.segment.is-editing")) {
    closeEditor(/** @type {HTMLElement} */ (open), false);
  }
  const time = formatTime(segment.start);
  const textId = `segment-${segment.id}-text`;
  const speakerId = `segment-${segment.id}-speaker`;
  const current = segment.speaker?.label ?? "";
  const options = transcript.speakers.map((speaker) =>
    el("option", { value: speaker.label, selected: speaker.label === current }, [
      speakerName(speaker),
    ]),
  );
  if (!current) options.unshift(el("option", { value: "", selected: true }, ["Unknown speaker"]));
  const textarea = el("textarea", { id: textId, rows: 3, maxLength: 10000, value: segment.text });
  item.classList.add("is-editing");
  item.querySelector(".inline-error")?.before(
    el("form", { className: "segment__editor", noValidate: true }, [
      el("div", { className: "field" }, [
        el("label", { htmlFor: textId }, [`Words at ${time}`]),
        textarea,
      ]),
      el("div", { className: "field" }, [
        el("label", { htmlFor: speakerId }, ["Speaker"]),
        el("select", { id: speakerId }, options),
      ]),
      el("div", { className: "segment__actions" }, [
        el("button", { type: "submit", className: "btn btn--primary btn--small" }, ["Save"]),
        el(
          "button",
          {
            type: "button",
            className: "btn btn--ghost btn--small",
            dataset: { action: "cancel" },
          },
          ["Cancel"],
        ),
      ]),
    ]),
  );
  textarea.focus();
}

/**
 * Closes a line's editor without saving.
 * @param {HTMLElement} item
 * @param {boolean} refocus give the keyboard focus back to the line's Edit button
 */
function closeEditor(item, refocus) {
  item.querySelector("form.segment__editor")?.remove();
  item.classList.remove("is-editing");
  setMessage(/** @type {HTMLElement} */ (item.querySelector(".inline-error")), "");
  if (refocus) /** @type {HTMLElement|null} */ (item.querySelector(".segment__edit"))?.focus();
}

/**
 * Shows a changed segment (after a save or a revert) and refreshes the history.
 * @param {Transcript} transcript the transcript the change was made in
 * @param {{segment: Segment, edits: Edit[], reindexed_passages: number}} result
 * @param {string} done what happened, e.g. "Saved"
 * @returns {HTMLElement|null} the new line, null when another recording is shown now
 */
function showChange(transcript, result, done) {
  if (state.transcript !== transcript) return null;
  const segment = result.segment;
  transcript.segments.set(segment.id, segment);
  const item = createSegmentItem(segment);
  findSegmentItem(segment.id)?.replaceWith(item);
  refreshFind();
  transcript.currentId = null;
  highlightCurrentSegment();
  const count = result.reindexed_passages;
  const passages = `${count} ${count === 1 ? "passage" : "passages"}`;
  const said = `${done} the line at ${formatTime(segment.start)}; ${passages} updated for search.`;
  setMessage(ui.transcriptMessage, result.edits.length ? said : "Nothing changed.", "success");
  loadEdits();
  return item;
}

/**
 * Sends a line's corrected words and speaker.
 * @param {HTMLElement} item
 * @param {HTMLFormElement} form
 * @returns {Promise<void>}
 */
async function saveSegment(item, form) {
  const transcript = state.transcript;
  const segment = transcript?.segments.get(Number(item.dataset.id));
  const errorBox = /** @type {HTMLElement} */ (item.querySelector(".inline-error"));
  if (!transcript || !segment) return;
  const text = /** @type {HTMLTextAreaElement} */ (form.querySelector("textarea")).value;
  const speaker = /** @type {HTMLSelectElement} */ (form.querySelector("select")).value;
  // The server ignores words that did not change, so they are always sent; it keeps the
  // signed-in account with the correction.
  /** @type {{text: string, speaker?: string}} */
  const body = { text };
  if (speaker && speaker !== segment.speaker?.label) body.speaker = speaker;
  const save = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
  save.disabled = true;
  setMessage(errorBox, "");
  try {
    const url = recordingUrl(transcript.id, `segments/${segment.id}`);
    const line = showChange(transcript, await sendJson(url, "PATCH", body), "Saved");
    /** @type {HTMLElement|null|undefined} */ (line?.querySelector(".segment__edit"))?.focus();
  } catch (error) {
    save.disabled = false;
    setMessage(errorBox, `Not saved: ${error.message}`, "error");
  }
}

/**
 * One correction in the history: who, when, what changed, and a Revert button while it holds.
 * @param {Edit} edit
 * @returns {HTMLElement}
 */
function createEditItem(edit) {
  const speakers = state.transcript?.speakers ?? [];
  /** @param {any} value */
  const shown = (value) => {
    if (edit.field === "text") return `“${value ?? ""}”`;
    const speaker = speakers.find((candidate) => candidate.label === value?.label);
    return speaker ? speaker.name : String(value?.label ?? "Unknown speaker");
  };
  const what = edit.field === "text" ? "Words" : "Speaker";
  const time = formatTime(edit.start);
  const children = [
    el("p", { className: "edit__meta" }, [
      `${what} at ${time} · ${edit.edited_by} · ${formatCreated(edit.edited_at)}`,
    ]),
    el("p", { className: "edit__change" }, [
      el("span", { className: "edit__before" }, [shown(edit.before)]),
      " → ",
      el("span", { className: "edit__after" }, [shown(edit.after)]),
    ]),
  ];
  if (edit.reverts_id !== null) {
    children.push(el("p", { className: "edit__note" }, ["Undoes an earlier correction."]));
  } else if (edit.reverted_at !== null) {
    children.push(el("p", { className: "edit__note" }, [`Reverted by ${edit.reverted_by}.`]));
  } else {
    children.push(
      el(
        "button",
        {
          type: "button",
          className: "btn btn--secondary btn--small edit__revert",
          "aria-label": `Revert the correction of the ${what.toLowerCase()} at ${time}`,
        },
        ["Revert"],
      ),
    );
  }
  children.push(el("p", { className: "inline-error", role: "alert" }));
  return el("li", { className: "edit", dataset: { id: String(edit.id) } }, children);
}

/**
 * Loads the history of corrections while it is open.
 * @returns {Promise<void>}
 */
async function loadEdits() {
  const transcript = state.transcript;
  if (!transcript || !(/** @type {HTMLDetailsElement} */ (ui.history).open)) return;
  try {
    /** @type {Edit[]} */
    const edits = await requestJson(recordingUrl(transcript.id, "edits"));
    if (state.transcript !== transcript) return;
    ui.edits.replaceChildren(...edits.map(createEditItem));
    setMessage(ui.historyMessage, edits.length ? "" : "No corrections yet.");
  } catch (error) {
    setMessage(ui.historyMessage, `Could not load the history: ${error.message}`, "error");
  }
}

/**
 * Reverts one correction (the revert is itself kept in the history).
 * @param {HTMLElement} item the correction's history entry
 * @param {HTMLButtonElement} button
 * @returns {Promise<void>}
 */
async function revertEdit(item, button) {
  const transcript = state.transcript;
  const errorBox = /** @type {HTMLElement} */ (item.querySelector(".inline-error"));
  if (!transcript) return;
  button.disabled = true;
  try {
    const url = recordingUrl(transcript.id, `edits/${item.dataset.id}/revert`);
    showChange(transcript, await sendJson(url, "POST", {}), "Reverted");
    setMessage(ui.historyMessage, "");
    ui.historySummary.focus();
  } catch (error) {
    button.disabled = false;
    setMessage(errorBox, `Not reverted: ${error.message}`, "error");
  }
}

/**
 * After a redaction: the transcript without the words, and the media again (now silent over
 * the span) from where it was.
 * @param {string} id recording id
 * @param {string} said what was redacted
 * @returns {Promise<void>}
 */
async function redacted(id, said) {
  await loadTranscript(id);
  if (state.player?.id !== id) return;
  setMessage(ui.transcriptMessage, said, "success");
  const player = video();
  state.pendingSeek = player.currentTime;
  player.src = `${mediaUrl(id)}?redacted=${Date.now()}`;
}

/** Wires the transcript: seeking, editing, redacting and the history. */
function bindTranscript() {
  ui.segments.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button[data-action]");
    const item = /** @type {HTMLElement|null} */ (button?.closest("li.segment") ?? null);
    const segment = state.transcript?.segments.get(Number(item?.dataset.id));
    if (!button || !item || !segment || !state.player) return;
    if (button.dataset.action === "seek") {
      openPlayer({ id: state.player.id, title: state.player.title, start: segment.start });
    } else if (button.dataset.action === "edit") {
      openEditor(item);
    } else if (button.dataset.action === "cancel") {
      closeEditor(item, true);
    } else if (button.dataset.action === "redact") {
      const id = state.player.id;
      openRedactor(item, segment, recordingUrl(id, "redactions"), (said) => redacted(id, said));
    }
  });
  ui.segments.addEventListener("submit", (event) => {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.target);
    const item = /** @type {HTMLElement|null} */ (form.closest("li.segment"));
    if (item) saveSegment(item, form);
  });
  ui.segments.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const form = /** @type {HTMLElement} */ (event.target).closest("form.segment__editor");
    const item = /** @type {HTMLElement|null} */ (form?.closest("li.segment") ?? null);
    if (!item) return;
    event.preventDefault();
    closeEditor(item, true);
  });
  ui.voices.addEventListener("change", (event) => {
    const select = /** @type {HTMLElement} */ (event.target);
    if (select instanceof HTMLSelectElement) nameVoice(select);
  });
  ui.history.addEventListener("toggle", () => loadEdits());
  ui.edits.addEventListener("click", (event) => {
    const button = /** @type {HTMLElement} */ (event.target).closest("button.edit__revert");
    const item = /** @type {HTMLElement|null} */ (button?.closest("li.edit") ?? null);
    if (button && item) revertEdit(item, /** @type {HTMLButtonElement} */ (button));
  });
}

/* ------------------------------------------------------------------------------------------ */
/* Signing in                                                                                  */
/* ------------------------------------------------------------------------------------------ */

/**
 * Shows the sign-in form instead of the app.
 * @param {string} [reason] why, in words
 */
function showSignIn(reason = "") {
  state.user = null;
  window.clearTimeout(state.pollTimer);
  ui.app.hidden = true;
  ui.account.hidden = true;
  ui.viewsNav.hidden = true;
  ui.signIn.hidden = false;
  setMessage(ui.signInMessage, reason, reason ? "error" : "info");
  ui.signInButton.removeAttribute("disabled");
  /** @type {HTMLInputElement} */ (ui.signInEmail).focus();
}

/** A request was refused because the session is gone: ask to sign in again. */
function sessionEnded() {
  if (state.user) showSignIn("Your session has ended; sign in again.");
}

/**
 * Shows the app for a signed-in account and loads what it may see.
 * @param {{email: string, roles: string[], person_id: string|null}} user
 */
function showApp(user) {
  state.user = user;
  ui.signIn.hidden = true;
  ui.app.hidden = false;
  ui.account.hidden = false;
  ui.accountEmail.textContent = user.email;
  // Parts of the page marked data-needs are hidden from accounts the server would refuse.
  document.body.dataset.contributor = String(mayDo(user, "contributor"));
  document.body.dataset.staff = String(mayDo(user, "staff"));
  startViews((needs) => mayDo(user, needs));
  if (mayDo(user, "contributor")) loadUploadSessions();
  refreshLibrary();
  loadFirstVisit();
  openPlayerFromHash();
}

/**
 * Sends the form's email and password; the server sets the session cookies.
 * @param {SubmitEvent} event
 * @returns {Promise<void>}
 */
async function onSignIn(event) {
  event.preventDefault();
  const email = /** @type {HTMLInputElement} */ (ui.signInEmail).value.trim();
  const password = /** @type {HTMLInputElement} */ (ui.signInPassword).value;
  if (!email || !password) {
    setMessage(ui.signInMessage, "Type your email and your password.", "error");
    return;
  }
  ui.signInButton.setAttribute("disabled", "");
  setMessage(ui.signInMessage, "Signing in…");
  try {
    const answer = await sendJson(`${API}/auth/login`, "POST", { email, password });
    /** @type {HTMLInputElement} */ (ui.signInPassword).value = "";
    setMessage(ui.signInMessage, "");
    showApp(answer.user);
  } catch (error) {
    ui.signInButton.removeAttribute("disabled");
    setMessage(ui.signInMessage, error.message, "error");
  }
}

/** Ends the session on the server, then starts the page afresh. */
async function onSignOut() {
  try {
    await requestJson(`${API}/auth/logout`, { method: "POST" });
  } catch {
    // Already signed out on the server: the reload shows the form either way.
  }
  window.location.assign("/");
}

/**
 * Offers single sign-on when the server has a provider.
 * @returns {Promise<void>}
 */
async function offerSingleSignOn() {
  try {
    const sso = await requestJson(`${API}/auth/sso`);
    if (!sso?.enabled) return;
    ui.ssoLink.textContent = `Sign in with ${sso.name}`;
    ui.ssoRow.hidden = false;
  } catch {
    // Without the answer the password form still works.
  }
}

/** Signs in from a kept session, or shows the form (with a single sign-on refusal, if any). */
async function startSession() {
  const params = new URLSearchParams(window.location.search);
  const refused = params.get("sign_in_error");
  if (refused !== null) {
    window.history.replaceState(null, "", window.location.pathname + window.location.hash);
  }
  offerSingleSignOn();
  try {
    // Asked on every load: answered 200 either way, so a signed-out visit logs no error.
    const session = await requestJson(`${API}/auth/session`);
    if (session?.user) showApp(session.user);
    else showSignIn(refused ?? "");
  } catch (error) {
    showSignIn(refused ?? error.message);
  }
}

/* ------------------------------------------------------------------------------------------ */
/* Start                                                                                       */
/* ------------------------------------------------------------------------------------------ */

/**
 * Whether an account may use a part of the page (the server checks again on every request).
 * @param {{roles: string[]}} user
 * @param {string} needs "contributor" (brings recordings in) or "staff" (curates)
 * @returns {boolean}
 */
function mayDo(user, needs) {
  const roles = new Set(user.roles);
  const staff = roles.has("admin") || roles.has("curator");
  if (needs === "staff") return staff;
  if (needs === "contributor") return staff || roles.has("mentor");
  return true;
}

/** A session filmed in the page was saved: show it in the library as it is processed. */
function filmed(id) {
  state.highlightId = id;
  refreshLibrary();
}

/** Wires everything, then signs in. */
function init() {
  whenSessionEnds(sessionEnded);
  bindUpload((id) => {
    state.highlightId = id;
    refreshLibrary();
  });
  bindLibrary();
  bindSearch(openPlayer);
  bindFirstVisit(openPlayer);
  bindPlayer();
  bindTranscript();
  bindConsent();
  bindFilm(filmed);
  addView("library", {
    // Back from another view, the focus goes to the search: what people come here for.
    enter: (fromElsewhere) => {
      if (!fromElsewhere) return;
      loadFirstVisit();
      document.getElementById("search-heading")?.focus();
    },
  });
  addView("film", { enter: enterFilm, leave: leaveFilm });
  bindPairs(() => state.user !== null && mayDo(state.user, "staff"));
  addView("pairs", { enter: enterPairs });
  bindTopics(() => state.user !== null && mayDo(state.user, "staff"));
  addView("topics", { enter: enterTopics });
  bindReview();
  addView("review", { enter: enterReview });
  addView("dashboards", { enter: enterDashboards });
  ui.signInForm.addEventListener("submit", onSignIn);
  ui.signOut.addEventListener("click", onSignOut);
  startSession();
}

init();
