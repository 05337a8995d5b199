/**
 * What the player does beyond the browser's own controls, for someone listening for one answer:
 * a playback speed that stays chosen from one recording to the next (and across visits), keys
 * that work anywhere on the page and not only while the player has the focus, and a timeline
 * under the picture that shows where each speaker talks and where the current search's hits
 * are, each hit a button that plays it.
 *
 * Keys (none while typing in a field, none with Ctrl, Alt or ⌘): Space or K plays and pauses,
 * ← and → step 5 s, J and L jump 10 s.
 */

import { clamp, el, formatTime, isTyping } from "./dom.js";

const SPEED_KEY = "baton.playbackRate";
const STEP_SECONDS = 5;
const JUMP_SECONDS = 10;
/** Distinct speakers the timeline colours apart; later ones share the last colour. */
const VOICE_COLOURS = 6;

/**
 * @typedef {object} TimelineLine a transcript line as the timeline needs it
 * @property {number} start
 * @property {number} end
 * @property {string} speaker who says it, as the transcript names them
 */

const player = {
  /** @type {HTMLVideoElement|null} */
  media: null,
  /** @type {HTMLElement|null} */
  card: null,
  /** @type {HTMLSelectElement|null} */
  speed: null,
  /** @type {HTMLElement|null} */
  timeline: null,
  /** @type {HTMLElement|null} */
  legend: null,
  /** @type {TimelineLine[]} */
  lines: [],
  /** @type {(recordingId: string) => number[]} where the current search's hits start */
  hitsOf: () => [],
};

/** @returns {number} the speed chosen last, 1 when none was (or storage is off) */
function storedSpeed() {
  let stored = null;
  try {
    stored = window.localStorage.getItem(SPEED_KEY);
  } catch {
    // storage may be blocked; the speed then lasts for this page only
  }
  const speed = Number(stored);
  return Number.isFinite(speed) && speed >= 0.25 && speed <= 4 ? speed : 1;
}

/** @param {number} speed */
function storeSpeed(speed) {
  try {
    window.localStorage.setItem(SPEED_KEY, String(speed));
  } catch {
    // as above: nothing to do where storage is blocked
  }
}

/**
 * Sets the speed now and for whatever the player loads next (a new source resets the
 * playback rate to the default one, so both are set).
 * @param {number} speed
 */
function applySpeed(speed) {
  const media = player.media;
  if (!media) return;
  media.defaultPlaybackRate = speed;
  if (media.playbackRate !== speed) media.playbackRate = speed;
  const choice = player.speed;
  if (!choice) return;
  const value = String(speed);
  if (![...choice.options].some((option) => option.value === value)) {
    choice.append(el("option", { value }, [`${value}×`]));
  }
  choice.value = value;
}

/** The speed was changed in the browser's own controls: keep it as the choice. */
function onRateChange() {
  const media = player.media;
  if (!media || media.playbackRate === storedSpeed()) return;
  storeSpeed(media.playbackRate);
  applySpeed(media.playbackRate);
}

/** @returns {boolean} whether a recording is open in the player */
function isOpen() {
  return Boolean(player.card && !player.card.hidden && player.media?.getAttribute("src"));
}

/**
 * Moves playback by some seconds, inside the recording.
 * @param {number} seconds
 */
function step(seconds) {
  const media = player.media;
  if (!media) return;
  const end = Number.isFinite(media.duration) ? media.duration : Number.POSITIVE_INFINITY;
  media.currentTime = clamp(media.currentTime + seconds, 0, end);
}

function togglePlaying() {
  const media = player.media;
  if (!media) return;
  if (media.paused) media.play().catch(() => {});
  else media.pause();
}

/**
 * The page-wide keys. A focused button or link keeps Space and Enter for itself, and the
 * player itself keeps the arrows it already handles.
 * @param {KeyboardEvent} event
 */
function onKey(event) {
  if (!isOpen() || isTyping() || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = /** @type {HTMLElement} */ (event.target);
  const onControl = target instanceof HTMLElement && target.closest("button, a, summary");
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  /** @type {Record<string, () => void>} */
  const actions = {
    " ": togglePlaying,
    k: togglePlaying,
    ArrowLeft: () => step(-STEP_SECONDS),
    ArrowRight: () => step(STEP_SECONDS),
    j: () => step(-JUMP_SECONDS),
    l: () => step(JUMP_SECONDS),
  };
  const action = actions[key];
  if (!action || (key === " " && onControl)) return;
  event.preventDefault();
  action();
}

/* ---------- Timeline ---------- */

/** @returns {number} the recording's length as far as it is known, 0 when not yet */
function duration() {
  const media = player.media;
  if (media && Number.isFinite(media.duration) && media.duration > 0) return media.duration;
  return player.lines.reduce((end, line) => Math.max(end, line.end), 0);
}

/**
 * Lines of one speaker in a row, as one stretch.
 * @param {TimelineLine[]} lines
 * @returns {TimelineLine[]}
 */
function turns(lines) {
  /** @type {TimelineLine[]} */
  const found = [];
  for (const line of lines) {
    const last = found[found.length - 1];
    if (last && last.speaker === line.speaker) last.end = Math.max(last.end, line.end);
    else found.push({ ...line });
  }
  return found;
}

/**
 * @param {number} seconds
 * @param {number} length
 * @returns {string} a CSS percentage along the timeline
 */
function along(seconds, length) {
  return `${(clamp(seconds / length, 0, 1) * 100).toFixed(3)}%`;
}

/**
 * Puts a mark at its place on the timeline (through the style object: the page's content
 * policy refuses style attributes).
 * @param {HTMLElement} node
 * @param {string} left
 * @param {string} [width]
 * @returns {HTMLElement}
 */
function placed(node, left, width) {
  node.style.left = left;
  if (width) node.style.width = width;
  return node;
}

/** Draws who speaks when, and the current search's hits in this recording. */
function drawTimeline() {
  const timeline = player.timeline;
  const legend = player.legend;
  const recordingId = player.media?.dataset.recordingId ?? "";
  if (!timeline || !legend) return;
  const length = duration();
  timeline.hidden = !recordingId || length <= 0;
  legend.hidden = timeline.hidden;
  if (timeline.hidden) return;
  const speakers = [...new Set(player.lines.map((line) => line.speaker))];
  const colour = (/** @type {string} */ speaker) =>
    String(Math.min(speakers.indexOf(speaker), VOICE_COLOURS - 1));
  const stretches = turns(player.lines).map((turn) =>
    placed(
      el("span", {
        className: "timeline__turn",
        dataset: { voice: colour(turn.speaker) },
        title: `${turn.speaker}, ${formatTime(turn.start)}–${formatTime(turn.end)}`,
      }),
      along(turn.start, length),
      along(turn.end - turn.start, length),
    ),
  );
  const hits = player.hitsOf(recordingId).map((start, index) =>
    placed(
      el(
        "button",
        {
          type: "button",
          className: "timeline__hit",
          dataset: { start: String(start) },
          "aria-label": `Play search hit ${index + 1}, from ${formatTime(start)}`,
          title: `Hit ${index + 1}, ${formatTime(start)}`,
        },
        [String(index + 1)],
      ),
      along(start, length),
    ),
  );
  timeline.replaceChildren(el("div", { className: "timeline__turns" }, stretches), ...hits);
  legend.replaceChildren(
    ...speakers.map((speaker) =>
      el("li", { className: "timeline__who", dataset: { voice: colour(speaker) } }, [speaker]),
    ),
  );
}

/**
 * A click on the stretch of speech seeks there; a hit's button plays from the hit.
 * @param {MouseEvent} event
 */
function onTimelineClick(event) {
  const media = player.media;
  const timeline = player.timeline;
  if (!media || !timeline) return;
  const hit = /** @type {HTMLElement} */ (event.target).closest("button.timeline__hit");
  if (hit instanceof HTMLElement) {
    media.currentTime = Number(hit.dataset.start) || 0;
  } else {
    const box = timeline.getBoundingClientRect();
    if (box.width <= 0) return;
    media.currentTime = clamp((event.clientX - box.left) / box.width, 0, 1) * duration();
  }
  media.play().catch(() => {});
}

/**
 * Gives the timeline the lines of the recording just opened (none while it loads).
 * @param {TimelineLine[]} lines
 */
export function showSpeakersOnTimeline(lines) {
  player.lines = lines;
  drawTimeline();
}

/**
 * Wires the speed, the page-wide keys and the timeline to the player.
 * @param {{media: HTMLVideoElement, card: HTMLElement, speed: HTMLSelectElement,
 *   timeline: HTMLElement, legend: HTMLElement, hitsOf: (recordingId: string) => number[]}} parts
 */
export function bindPlayerControls(parts) {
  Object.assign(player, parts);
  applySpeed(storedSpeed());
  parts.speed.addEventListener("change", () => {
    const speed = Number(parts.speed.value) || 1;
    storeSpeed(speed);
    applySpeed(speed);
  });
  parts.media.addEventListener("ratechange", onRateChange);
  parts.media.addEventListener("loadedmetadata", () => {
    applySpeed(storedSpeed());
    drawTimeline();
  });
  parts.timeline.addEventListener("click", onTimelineClick);
  document.addEventListener("keydown", onKey);
  document.addEventListener("baton:hits-shown", drawTimeline);
}
