/**
 * Filming a session in the page: choose camera and microphone, watch the sound level, ask
 * everyone on camera for consent, then record with pause and resume. The film leaves for the
 * server every few seconds while it is recorded (see streaming_upload.js); Stop tells the server
 * it is complete, and it joins the library like an upload.
 */

import { byId, el, formatBytes, formatTime, setMessage } from "./dom.js";
import { API, sendJson } from "./http.js";
import { myPairs } from "./pair_sessions.js";
import { StreamingUpload } from "./streaming_upload.js";

/** The recorder hands over a piece this often; a closed tab loses at most about this much. */
const PIECE_MS = 2000;
/** Formats to try, best first: WebM where the browser has it, MP4 otherwise (Safari). */
const FORMATS = [
  ["video/webm;codecs=vp8,opus", "webm"],
  ["video/webm", "webm"],
  ["video/mp4", "mp4"],
];
const AUDIO_FORMATS = [
  ["audio/webm;codecs=opus", "webm"],
  ["audio/webm", "webm"],
  ["audio/mp4", "m4a"],
];

const ui = {
  heading: byId("film-heading"),
  pair: /** @type {HTMLSelectElement} */ (byId("film-pair")),
  title: /** @type {HTMLInputElement} */ (byId("film-title")),
  people: byId("film-people"),
  addPerson: byId("film-add-person"),
  camera: /** @type {HTMLSelectElement} */ (byId("film-camera")),
  microphone: /** @type {HTMLSelectElement} */ (byId("film-microphone")),
  preview: /** @type {HTMLVideoElement} */ (byId("film-preview")),
  level: /** @type {HTMLMeterElement} */ (byId("film-level")),
  clock: byId("film-clock"),
  devices: /** @type {HTMLButtonElement} */ (byId("film-devices")),
  start: /** @type {HTMLButtonElement} */ (byId("film-start")),
  pause: byId("film-pause"),
  resume: byId("film-resume"),
  stop: /** @type {HTMLButtonElement} */ (byId("film-stop")),
  message: byId("film-message"),
};

const film = {
  /** @type {MediaStream|null} */
  stream: null,
  /** @type {AudioContext|null} */
  audio: null,
  levelFrame: 0,
  /** @type {MediaRecorder|null} */
  recorder: null,
  /** @type {StreamingUpload|null} */
  upload: null,
  /** Milliseconds recorded before the current stretch (pauses excluded). */
  recordedMs: 0,
  /** When the current stretch of recording began (performance.now()), 0 while paused. */
  stretchStart: 0,
  clockTimer: 0,
  /** @type {{id: string, name: string, member_ids: string[]}[]} */
  pairs: [],
  /** @type {Map<string, string>} person id → name */
  names: new Map(),
  /** @type {(id: string) => void} */
  onRecordingAdded: () => {},
};

/** @returns {boolean} */
function recording() {
  return film.recorder !== null && film.recorder.state !== "inactive";
}

/* ---------- Who is on camera, and their consent ---------- */

let personCount = 0;

/**
 * A row for one person on camera: their name, and whether they agree.
 * @param {string} [name]
 * @returns {HTMLElement}
 */
function personRow(name = "") {
  personCount += 1;
  const nameId = `film-person-${personCount}`;
  const agreeId = `film-agree-${personCount}`;
  return el("li", { className: "film__person" }, [
    el("div", { className: "field" }, [
      el("label", { htmlFor: nameId }, [`Person ${ui.people.children.length + 1}`]),
      el("input", { id: nameId, type: "text", value: name, maxLength: 120, autocomplete: "off" }),
    ]),
    el("label", { className: "film__agree", htmlFor: agreeId }, [
      el("input", { id: agreeId, type: "checkbox" }),
      " agrees to be filmed",
    ]),
  ]);
}

/** @param {string[]} names */
function showPeople(names) {
  ui.people.replaceChildren();
  for (const name of names) ui.people.append(personRow(name));
  updateStartButton();
}

/**
 * Everyone named, and whether each agreed.
 * @returns {{name: string, agreed: boolean}[]}
 */
function peopleOnCamera() {
  return [...ui.people.querySelectorAll("li")]
    .map((row) => ({
      name: /** @type {HTMLInputElement} */ (row.querySelector("input[type=text]")).value.trim(),
      agreed: /** @type {HTMLInputElement} */ (row.querySelector("input[type=checkbox]")).checked,
    }))
    .filter((person) => person.name);
}

/** @returns {string} why recording cannot start yet, "" when it can */
function notReadyReason() {
  if (!film.stream) return "Turn on the camera and microphone first.";
  const people = peopleOnCamera();
  if (!people.length) return "Name everyone on camera.";
  const waiting = people.filter((person) => !person.agreed).map((person) => person.name);
  if (waiting.length) return `Waiting for ${waiting.join(" and ")} to agree to be filmed.`;
  return "";
}

function updateStartButton() {
  if (recording()) return;
  const reason = notReadyReason();
  ui.start.disabled = reason !== "";
  ui.start.title = reason;
}

/* ---------- Camera, microphone and the sound level ---------- */

/** Stops the camera and microphone (their lights go off). */
function releaseDevices() {
  window.cancelAnimationFrame(film.levelFrame);
  film.audio?.close().catch(() => {});
  film.audio = null;
  for (const track of film.stream?.getTracks() ?? []) track.stop();
  film.stream = null;
  ui.preview.srcObject = null;
  ui.preview.hidden = true;
  ui.level.value = 0;
}

/**
 * Opens the chosen devices, shows the picture and starts the level meter.
 * @returns {Promise<void>}
 */
async function openDevices() {
  releaseDevices();
  const camera = ui.camera.value;
  const microphone = ui.microphone.value;
  const wantsVideo = ui.camera.options.length <= 1 || camera !== "";
  /** @type {MediaStreamConstraints} */
  const constraints = {
    audio: microphone ? { deviceId: { exact: microphone } } : true,
    video: wantsVideo ? (camera ? { deviceId: { exact: camera } } : true) : false,
  };
  try {
    film.stream = await navigator.mediaDevices.getUserMedia(constraints);
  } catch (error) {
    if (!constraints.video) throw error;
    // No camera, or it was refused: sound alone still makes a session worth keeping.
    film.stream = await navigator.mediaDevices.getUserMedia({ audio: constraints.audio });
  }
  ui.preview.srcObject = film.stream;
  ui.preview.hidden = film.stream.getVideoTracks().length === 0;
  ui.preview.play().catch(() => {});
  watchLevel(film.stream);
  await listDevices();
}

/** Fills the camera and microphone choices (names are only known once permission is given). */
async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  const inUse = new Set(film.stream?.getTracks().map((track) => track.getSettings().deviceId));
  /**
   * @param {HTMLSelectElement} select
   * @param {MediaDeviceKind} kind
   * @param {string} noun
   * @param {HTMLOptionElement[]} first
   */
  const fill = (select, kind, noun, first) => {
    const found = devices.filter((device) => device.kind === kind);
    select.replaceChildren(
      ...first,
      ...found.map((device, index) =>
        el("option", { value: device.deviceId, selected: inUse.has(device.deviceId) }, [
          device.label || `${noun} ${index + 1}`,
        ]),
      ),
    );
  };
  const soundOnly = el("option", { value: "" }, ["No camera: sound only"]);
  fill(ui.camera, "videoinput", "Camera", [/** @type {HTMLOptionElement} */ (soundOnly)]);
  if (!film.stream?.getVideoTracks().length) ui.camera.value = "";
  fill(ui.microphone, "audioinput", "Microphone", []);
}

/** @param {MediaStream} stream */
function watchLevel(stream) {
  if (!stream.getAudioTracks().length) return;
  film.audio = new AudioContext();
  const analyser = film.audio.createAnalyser();
  analyser.fftSize = 1024;
  film.audio.createMediaStreamSource(stream).connect(analyser);
  const samples = new Float32Array(analyser.fftSize);
  const draw = () => {
    analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const sample of samples) sum += sample * sample;
    // Speech sits around -30 to -10 dBFS; scale so that normal speech fills most of the bar.
    const rms = Math.sqrt(sum / samples.length);
    ui.level.value = Math.min(1, rms * 4);
    film.levelFrame = window.requestAnimationFrame(draw);
  };
  draw();
}

async function onDevicesClick() {
  ui.devices.disabled = true;
  setMessage(ui.message, "Asking the browser for the camera and microphone…");
  try {
    await openDevices();
    ui.devices.textContent = "Use these devices again";
    setMessage(ui.message, notReadyReason() || "Ready to record.");
  } catch (error) {
    setMessage(
      ui.message,
      "The browser did not give Baton a microphone. Allow the microphone for this site in the " +
        `browser's settings, then try again. (${/** @type {Error} */ (error).message})`,
      "error",
    );
  } finally {
    ui.devices.disabled = false;
    updateStartButton();
  }
}

async function onDeviceChoice() {
  if (recording() || !film.stream) return;
  try {
    await openDevices();
  } catch (error) {
    setMessage(
      ui.message,
      `That device could not be opened: ${/** @type {Error} */ (error).message}`,
      "error",
    );
  }
  updateStartButton();
}

/* ---------- Recording ---------- */

/**
 * @param {MediaStream} stream
 * @returns {[string, string]} a type this browser records, and its file extension
 */
function chooseFormat(stream) {
  const choices = stream.getVideoTracks().length ? FORMATS : AUDIO_FORMATS;
  for (const [type, extension] of choices) {
    if (MediaRecorder.isTypeSupported(type)) return [type, extension];
  }
  return ["", "webm"];
}

function showClock() {
  const running = film.stretchStart ? performance.now() - film.stretchStart : 0;
  ui.clock.textContent = formatTime((film.recordedMs + running) / 1000);
}

/** @param {"idle"|"recording"|"paused"|"saving"} phase */
function showPhase(phase) {
  const busy = phase !== "idle";
  ui.start.hidden = busy;
  ui.devices.hidden = busy;
  ui.pause.hidden = phase !== "recording";
  ui.resume.hidden = phase !== "paused";
  ui.stop.hidden = phase !== "recording" && phase !== "paused";
  ui.stop.disabled = phase === "saving";
  for (const input of document.querySelectorAll(
    "#film-setup input, #film-setup select, #film-setup button",
  )) {
    /** @type {HTMLInputElement} */ (input).disabled = busy;
  }
  ui.clock.dataset.phase = phase;
}

/**
 * Creates the pair's session for today when a pair is chosen.
 * @returns {Promise<string>} its id, "" for none
 */
async function sessionForToday() {
  const pairId = ui.pair.value;
  if (!pairId) return "";
  const today = new Date();
  const heldOn = [today.getFullYear(), today.getMonth() + 1, today.getDate()]
    .map((part) => String(part).padStart(2, "0"))
    .join("-");
  const created = await sendJson(`${API}/pairs/${encodeURIComponent(pairId)}/sessions`, "POST", {
    held_on: heldOn,
    title: ui.title.value.trim(),
  });
  return created.id;
}

async function onStart() {
  const reason = notReadyReason();
  if (reason || !film.stream) {
    setMessage(ui.message, reason, "error");
    return;
  }
  ui.start.disabled = true;
  const stream = film.stream;
  const [mimeType, extension] = chooseFormat(stream);
  const when = new Date();
  const title = ui.title.value.trim() || `Filmed session, ${when.toLocaleString()}`;
  let upload;
  try {
    const sessionId = await sessionForToday();
    upload = new StreamingUpload(
      {
        filename: `filmed-${when.toISOString().replace(/[:.]/g, "-")}.${extension}`,
        filetype: mimeType.split(";")[0] || "video/webm",
        title,
        session_id: sessionId,
        source: "browser-recording",
        consent_of: peopleOnCamera()
          .map((person) => person.name)
          .join("\n"),
      },
      (sent) => {
        if (recording())
          setMessage(ui.message, `Recording. ${formatBytes(sent)} safely on the server.`);
      },
    );
    await upload.create();
  } catch (error) {
    ui.start.disabled = false;
    setMessage(
      ui.message,
      `Recording did not start: ${/** @type {Error} */ (error).message}`,
      "error",
    );
    return;
  }
  const recorder = new MediaRecorder(stream, mimeType ? { mimeType } : {});
  recorder.addEventListener("dataavailable", (event) => upload.push(event.data));
  film.recorder = recorder;
  film.upload = upload;
  film.recordedMs = 0;
  film.stretchStart = performance.now();
  recorder.start(PIECE_MS);
  film.clockTimer = window.setInterval(showClock, 250);
  showPhase("recording");
  setMessage(ui.message, "Recording.");
  ui.pause.focus();
}

function onPause() {
  if (film.recorder?.state !== "recording") return;
  film.recorder.pause();
  film.recordedMs += performance.now() - film.stretchStart;
  film.stretchStart = 0;
  showClock();
  showPhase("paused");
  setMessage(ui.message, "Paused. Nothing is recorded until you resume.");
  ui.resume.focus();
}

function onResume() {
  if (film.recorder?.state !== "paused") return;
  film.recorder.resume();
  film.stretchStart = performance.now();
  showPhase("recording");
  setMessage(ui.message, "Recording.");
  ui.pause.focus();
}

async function onStop() {
  const recorder = film.recorder;
  const upload = film.upload;
  if (!recorder || !upload || recorder.state === "inactive") return;
  if (film.stretchStart) film.recordedMs += performance.now() - film.stretchStart;
  film.stretchStart = 0;
  window.clearInterval(film.clockTimer);
  showClock();
  showPhase("saving");
  setMessage(ui.message, "Saving the last seconds…");
  // The recorder hands over its last piece before it says it has stopped.
  await new Promise((resolve) => {
    recorder.addEventListener("stop", resolve, { once: true });
    recorder.stop();
  });
  film.recorder = null;
  try {
    const id = await upload.finish();
    film.upload = null;
    setMessage(
      ui.message,
      `Saved (${formatTime(film.recordedMs / 1000)}). Baton is transcribing it; it shows in ` +
        "the library under Sessions.",
      "success",
    );
    film.onRecordingAdded(id);
  } catch (error) {
    film.upload = null;
    setMessage(
      ui.message,
      `The film could not be completed: ${/** @type {Error} */ (error).message} What reached ` +
        "the server is added to the library within a few minutes.",
      "error",
    );
  }
  showPhase("idle");
  updateStartButton();
}

/* ---------- The view ---------- */

/** Fills the pair choice and the names of the people in it. */
async function loadPairs() {
  try {
    ({ pairs: film.pairs, names: film.names } = await myPairs());
  } catch {
    film.pairs = [];
  }
  const chosen = ui.pair.value;
  ui.pair.replaceChildren(
    el("option", { value: "" }, ["Not a pair's session"]),
    ...film.pairs.map((pair) =>
      el("option", { value: pair.id, selected: pair.id === chosen }, [pair.name]),
    ),
  );
}

function onPairChoice() {
  const pair = film.pairs.find((candidate) => candidate.id === ui.pair.value);
  const names = pair ? pair.member_ids.map((id) => film.names.get(id) ?? "").filter(Boolean) : [];
  showPeople(names.length ? names : ["", ""]);
}

/** Called each time the view is shown. */
export function enterFilm() {
  if (recording()) return;
  if (!ui.people.children.length) showPeople(["", ""]);
  loadPairs();
  updateStartButton();
  ui.heading.focus();
}

/** Called when another view is shown: the camera goes off unless a recording is running. */
export function leaveFilm() {
  if (!recording()) releaseDevices();
}

/**
 * Wires the view.
 * @param {(id: string) => void} onRecordingAdded told the id of each saved recording
 */
export function bindFilm(onRecordingAdded) {
  film.onRecordingAdded = onRecordingAdded;
  ui.devices.addEventListener("click", onDevicesClick);
  ui.camera.addEventListener("change", onDeviceChoice);
  ui.microphone.addEventListener("change", onDeviceChoice);
  ui.pair.addEventListener("change", onPairChoice);
  ui.addPerson.addEventListener("click", () => {
    const row = personRow();
    ui.people.append(row);
    /** @type {HTMLInputElement} */ (row.querySelector("input"))?.focus();
    updateStartButton();
  });
  ui.people.addEventListener("input", updateStartButton);
  ui.people.addEventListener("change", updateStartButton);
  ui.start.addEventListener("click", onStart);
  ui.pause.addEventListener("click", onPause);
  ui.resume.addEventListener("click", onResume);
  ui.stop.addEventListener("click", onStop);
  document
    .getElementById("film-setup")
    ?.addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("beforeunload", (event) => {
    if (recording()) event.preventDefault();
  });
  window.addEventListener("pagehide", () => {
    if (recording()) film.upload?.closeOnLeave();
  });
}
