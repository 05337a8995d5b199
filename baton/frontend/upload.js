/**
 * Uploading recordings from the page: one or many files, queued one at a time, each with its
 * progress, status and Cancel. Files go with the tus protocol (tus-js-client, vendored): in
 * pieces, so a dropped connection or a reload goes on where it stopped instead of starting again.
 * A file can be filed under a session of the account's pairs.
 */

import { byId, el, formatBytes, setMessage } from "./dom.js";
import { API, CSRF_HEADER, csrfToken, describeError, requestJson, sessionEnded } from "./http.js";
import { mySessions } from "./pair_sessions.js";

/** Uploads go in pieces of this size: a dropped connection costs at most one. */
const UPLOAD_CHUNK_BYTES = 4 * 1024 * 1024;
/** After a failed piece, wait this long before each new try (then give up and say so). */
const UPLOAD_RETRY_DELAYS_MS = [0, 1000, 3000, 5000, 10000, 20000];
/** What the server's answer to the last piece says about the recording it became. */
const RECORDING_HEADER = "Baton-Recording-Id";
const DUPLICATE_HEADER = "Baton-Duplicate";

const ui = {
  uploadForm: byId("upload-form"),
  dropZone: byId("drop-zone"),
  fileInput: byId("file-input"),
  fileSummary: byId("file-summary"),
  titleInput: byId("title-input"),
  uploadSessionField: byId("upload-session-field"),
  uploadSession: byId("upload-session"),
  cancelUpload: byId("cancel-upload"),
  uploadQueue: byId("upload-queue"),
  uploadMessage: byId("upload-message"),
};

const uploads = {
  /** @type {File[]} chosen and not yet queued */
  selected: [],
  /** @type {QueuedUpload[]} every upload of this visit, in the order queued */
  entries: [],
  /** @type {(id: string|null) => void} */
  added: () => {},
};

/**
 * Whether a file's type suggests audio or video (unknown types get the benefit of the doubt).
 * @param {File} file
 * @returns {boolean}
 */
function looksLikeMedia(file) {
  const type = file.type;
  return (
    !type ||
    type.startsWith("audio/") ||
    type.startsWith("video/") ||
    type === "application/ogg" ||
    type === "application/mp4" ||
    type === "application/octet-stream"
  );
}

/**
 * @typedef {object} QueuedUpload one file on its way, with its row in the list
 * @property {File} file
 * @property {string} title "" to let the server name it
 * @property {string} sessionId the session it is filed under, "" for none
 * @property {"waiting"|"sending"|"done"|"failed"|"cancelled"} status
 * @property {any} tus the tus upload once it has started
 * @property {HTMLElement} row
 * @property {HTMLProgressElement} bar
 * @property {HTMLElement} note
 * @property {HTMLButtonElement} cancel
 */

/**
 * Chooses the files to upload (from the picker or a drop).
 * @param {File[]} files
 */
function selectFiles(files) {
  uploads.selected = files;
  const total = files.reduce((sum, file) => sum + file.size, 0);
  ui.fileSummary.textContent =
    files.length === 1
      ? `Chosen: ${files[0].name} (${formatBytes(total)})`
      : `Chosen: ${files.length} files (${formatBytes(total)})`;
  const odd = files.filter((file) => !looksLikeMedia(file)).map((file) => `“${file.name}”`);
  if (odd.length) {
    setMessage(
      ui.uploadMessage,
      `${odd.join(", ")} ${odd.length === 1 ? "does" : "do"} not look like audio or video. ` +
        "You can still try to upload.",
      "warning",
    );
  } else {
    setMessage(ui.uploadMessage, "");
  }
}

/** Forgets the chosen files and empties the form. */
function clearSelectedFiles() {
  uploads.selected = [];
  /** @type {HTMLFormElement} */ (ui.uploadForm).reset();
  ui.fileSummary.textContent = "";
}

/**
 * Adds a file to the list of uploads, waiting its turn.
 * @param {File} file
 * @param {string} title
 * @param {string} sessionId the session it is filed under, "" for none
 * @returns {QueuedUpload}
 */
function queueUpload(file, title, sessionId) {
  const bar = /** @type {HTMLProgressElement} */ (
    el("progress", { max: 100, value: 0, "aria-label": `Upload of ${file.name}` })
  );
  const note = el("span", { className: "upload-row__note" }, ["Waiting"]);
  const cancel = /** @type {HTMLButtonElement} */ (
    el(
      "button",
      {
        type: "button",
        className: "btn btn--ghost btn--small",
        "aria-label": `Cancel the upload of ${file.name}`,
      },
      ["Cancel"],
    )
  );
  const row = el("li", { className: "upload-row" }, [
    el("span", { className: "upload-row__name" }, [`${file.name} (${formatBytes(file.size)})`]),
    bar,
    note,
    cancel,
  ]);
  /** @type {QueuedUpload} */
  const entry = { file, title, sessionId, status: "waiting", tus: null, row, bar, note, cancel };
  cancel.addEventListener("click", () => cancelUpload(entry));
  ui.uploadQueue.append(row);
  uploads.entries.push(entry);
  return entry;
}

/**
 * Shows one upload's state in its row.
 * @param {QueuedUpload} entry
 * @param {QueuedUpload["status"]} status
 * @param {string} note
 */
function setUploadStatus(entry, status, note) {
  entry.status = status;
  entry.note.textContent = note;
  entry.row.dataset.status = status;
  entry.cancel.hidden = status !== "waiting" && status !== "sending";
}

/** @returns {boolean} whether any upload is sending or waiting its turn */
function uploadsPending() {
  return uploads.entries.some((entry) => entry.status === "waiting" || entry.status === "sending");
}

/** Starts the next waiting upload, one at a time, so each gets the whole connection. */
function nextUpload() {
  ui.cancelUpload.hidden = !uploadsPending();
  if (uploads.entries.some((entry) => entry.status === "sending")) return;
  const entry = uploads.entries.find((candidate) => candidate.status === "waiting");
  if (entry) startUpload(entry);
}

/**
 * Sends the file with the tus protocol (tus-js-client), in pieces: when the connection drops,
 * it asks the server how much arrived and goes on from there, and a reload of the page picks
 * up the same upload again.
 * @param {QueuedUpload} entry
 */
function startUpload(entry) {
  const { file, title, sessionId } = entry;
  const tus = /** @type {any} */ (window).tus;
  /** @type {Record<string, string>} */
  const metadata = { filename: file.name, filetype: file.type || "application/octet-stream" };
  if (title) metadata.title = title;
  if (sessionId) metadata.session_id = sessionId;
  const upload = new tus.Upload(file, {
    endpoint: `${API}/uploads`,
    chunkSize: UPLOAD_CHUNK_BYTES,
    retryDelays: UPLOAD_RETRY_DELAYS_MS,
    removeFingerprintOnSuccess: true,
    metadata,
    headers: { [CSRF_HEADER]: csrfToken() },
    /** @param {number} sent @param {number} total */
    onProgress(sent, total) {
      const percent = total ? Math.round((sent / total) * 100) : 0;
      entry.bar.value = percent;
      entry.bar.setAttribute("aria-valuetext", `${percent}% uploaded`);
      setUploadStatus(
        entry,
        "sending",
        total && sent === total ? "Sent; the server is checking it…" : `${percent}%`,
      );
    },
    /** @param {{lastResponse: {getHeader(name: string): string|undefined}}} payload */
    onSuccess(payload) {
      const response = payload.lastResponse;
      uploaded(
        entry,
        response.getHeader(RECORDING_HEADER) ?? null,
        response.getHeader(DUPLICATE_HEADER) === "true",
      );
    },
    /** @param {any} error */
    onError(error) {
      if (entry.status !== "sending") return;
      const response = error?.originalResponse;
      const status = response ? response.getStatus() : 0;
      if (status === 401) sessionEnded();
      const reason = describeError(status, response ? response.getBody() : "");
      setUploadStatus(entry, "failed", "Failed");
      setMessage(ui.uploadMessage, `Upload of “${file.name}” failed: ${reason}`, "error");
      nextUpload();
    },
  });
  entry.tus = upload;
  setUploadStatus(entry, "sending", "0%");
  setMessage(ui.uploadMessage, `Uploading “${file.name}”…`);
  upload
    .findPreviousUploads()
    .then((/** @type {any[]} */ previous) => {
      if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
      upload.start();
    })
    .catch(() => upload.start());
}

/**
 * Stops an upload (or takes it out of the queue) and tells the server to drop what arrived.
 * @param {QueuedUpload} entry
 */
function cancelUpload(entry) {
  if (entry.status !== "waiting" && entry.status !== "sending") return;
  const sending = entry.status === "sending";
  setUploadStatus(entry, "cancelled", "Cancelled");
  if (sending && entry.tus) {
    entry.tus.abort(true).catch(() => {
      // The server forgets unfinished uploads after two days anyway.
    });
  }
  setMessage(ui.uploadMessage, `Upload of “${entry.file.name}” cancelled.`, "info");
  nextUpload();
}

/**
 * The last piece arrived and the server took the file in.
 * @param {QueuedUpload} entry
 * @param {string|null} id the recording it became
 * @param {boolean} duplicate whether the same file was already in the library
 */
async function uploaded(entry, id, duplicate) {
  /** @type {Recording|null} */
  let recording = null;
  if (id) {
    try {
      recording = await requestJson(`${API}/recordings/${encodeURIComponent(id)}`);
    } catch {
      recording = null;
    }
  }
  entry.bar.value = 100;
  setUploadStatus(entry, "done", duplicate ? "Already in the library" : "Uploaded");
  if (!recording) {
    setMessage(ui.uploadMessage, "Uploaded. The library will show it in a moment.", "success");
  } else if (duplicate) {
    setMessage(
      ui.uploadMessage,
      `This recording is already in the library as “${recording.title}”, ` +
        "so no second copy was made.",
      "info",
    );
  } else {
    setMessage(
      ui.uploadMessage,
      `Uploaded “${recording.title}”. It will be searchable once processing finishes.`,
      "success",
    );
  }
  uploads.added(recording?.id ?? null);
  nextUpload();
}

/**
 * Form submit: checks files were chosen, then queues each (empty ones are refused at once).
 * @param {SubmitEvent} event
 */
function onUploadSubmit(event) {
  event.preventDefault();
  const input = /** @type {HTMLInputElement} */ (ui.fileInput);
  const files = uploads.selected.length ? uploads.selected : Array.from(input.files ?? []);
  if (!files.length) {
    setMessage(
      ui.uploadMessage,
      "Choose an audio or video file first, or drag one onto the upload area.",
      "error",
    );
    input.focus();
    return;
  }
  const empty = files.filter((file) => file.size === 0);
  if (empty.length) {
    setMessage(
      ui.uploadMessage,
      `“${empty[0].name}” is empty (0 bytes). Choose a different file.`,
      "error",
    );
    return;
  }
  // A title names one recording; several files keep their own names.
  const title =
    files.length === 1 ? /** @type {HTMLInputElement} */ (ui.titleInput).value.trim() : "";
  const sessionId = /** @type {HTMLSelectElement} */ (ui.uploadSession).value;
  for (const file of files) queueUpload(file, title, sessionId);
  clearSelectedFiles();
  nextUpload();
}

/**
 * @param {DragEvent} event
 * @returns {boolean} whether the drag carries files
 */
function dragHasFiles(event) {
  return Array.from(event.dataTransfer?.types ?? []).includes("Files");
}

/** Makes the upload area a drop target, and stops stray drops from leaving the page. */
function bindDropZone() {
  const zone = ui.dropZone;
  let depth = 0;
  zone.addEventListener("dragenter", (event) => {
    if (!dragHasFiles(event)) return;
    event.preventDefault();
    depth += 1;
    zone.classList.add("is-dragover");
  });
  zone.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) zone.classList.remove("is-dragover");
  });
  zone.addEventListener("drop", () => {
    depth = 0;
    zone.classList.remove("is-dragover");
  });
  // A file dropped anywhere on the page is taken as the upload, instead of the browser
  // navigating away to open it.
  window.addEventListener("dragover", (event) => {
    if (!dragHasFiles(event)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  });
  window.addEventListener("drop", (event) => {
    if (!dragHasFiles(event)) return;
    event.preventDefault();
    const files = event.dataTransfer?.files;
    if (files && files.length > 0) selectFiles(Array.from(files));
  });
}

/**
 * Offers the sessions of the account's pairs to file uploads under (hidden when there are none).
 * @returns {Promise<void>}
 */
export async function loadUploadSessions() {
  const select = /** @type {HTMLSelectElement} */ (ui.uploadSession);
  let choices = [];
  try {
    choices = await mySessions();
  } catch {
    // Without the list, uploads still go to the library unfiled.
  }
  const chosen = select.value;
  select.replaceChildren(
    el("option", { value: "" }, ["Not filed under a session"]),
    ...choices.map((choice) =>
      el("option", { value: choice.id, selected: choice.id === chosen }, [choice.label]),
    ),
  );
  ui.uploadSessionField.hidden = choices.length === 0;
}

/**
 * Wires the upload form.
 * @param {(id: string|null) => void} added told each new recording's id (null: not known yet)
 */
export function bindUpload(added) {
  uploads.added = added;
  const input = /** @type {HTMLInputElement} */ (ui.fileInput);
  input.addEventListener("change", () => selectFiles(Array.from(input.files ?? [])));
  ui.uploadForm.addEventListener("submit", onUploadSubmit);
  ui.cancelUpload.addEventListener("click", () => {
    for (const entry of [...uploads.entries].reverse()) cancelUpload(entry);
  });
  window.addEventListener("beforeunload", (event) => {
    if (!uploadsPending()) return;
    event.preventDefault();
    event.returnValue = "";
  });
  bindDropZone();
}
