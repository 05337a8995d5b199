/**
 * Sends a recording to the server while it is still being made: a tus upload whose length is
 * told only at the end (Upload-Defer-Length), one PATCH per piece the recorder hands over.
 *
 * tus-js-client reads a stream in pieces of a fixed size, so a tab closed mid-piece would lose
 * up to a whole piece; here every few seconds of film leave as soon as the recorder gives them.
 * A failed piece is tried again from the offset the server reports (HEAD); what it has not
 * confirmed stays in memory until it does.
 */

import { API, CSRF_HEADER, csrfToken, describeError } from "./http.js";

const TUS_VERSION = "1.0.0";
const UPLOADS = `${API}/uploads`;
/** After a failed piece, wait this long before each new try (then give up and say so). */
const RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000, 15000, 30000];
const RECORDING_HEADER = "Baton-Recording-Id";

/**
 * tus metadata: comma-separated "key base64(value)" pairs (values in UTF-8).
 * @param {Record<string, string>} fields
 * @returns {string}
 */
function encodeMetadata(fields) {
  return Object.entries(fields)
    .filter(([, value]) => value !== "")
    .map(([key, value]) => {
      const bytes = new TextEncoder().encode(value);
      return `${key} ${btoa(String.fromCharCode(...bytes))}`;
    })
    .join(",");
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => window.setTimeout(resolve, ms));

export class StreamingUpload {
  /**
   * @param {Record<string, string>} metadata filename, filetype, title, session_id, consent_of…
   * @param {(sent: number) => void} onProgress told the bytes the server holds after each piece
   */
  constructor(metadata, onProgress) {
    this.metadata = metadata;
    this.onProgress = onProgress;
    /** @type {string|null} where the upload lives, once created */
    this.url = null;
    /** Bytes the server has confirmed. */
    this.offset = 0;
    /** Bytes handed over by the recorder so far (confirmed or not). */
    this.received = 0;
    /** @type {{start: number, blob: Blob}[]} pieces not yet confirmed, in order */
    this.pending = [];
    /** @type {Promise<void>} the sending loop, when one runs */
    this.sending = Promise.resolve();
    this.busy = false;
    /** @type {Error|null} set when sending gave up */
    this.failure = null;
  }

  /**
   * Creates the upload on the server (its length left open).
   * @returns {Promise<void>}
   */
  async create() {
    const response = await this.request(UPLOADS, "POST", {
      "Upload-Defer-Length": "1",
      "Upload-Metadata": encodeMetadata(this.metadata),
    });
    if (response.status !== 201)
      throw new Error(describeError(response.status, await response.text()));
    this.url = new URL(response.headers.get("Location") ?? "", window.location.href).pathname;
  }

  /**
   * Queues a piece from the recorder and makes sure it is being sent.
   * @param {Blob} blob
   */
  push(blob) {
    if (!blob.size) return;
    this.pending.push({ start: this.received, blob });
    this.received += blob.size;
    if (!this.busy) {
      this.busy = true;
      this.sending = this.sendPending().finally(() => {
        this.busy = false;
      });
    }
  }

  /**
   * Sends the queued pieces one after the other until none is left (or it gives up).
   * @returns {Promise<void>}
   */
  async sendPending() {
    while (this.pending.length && !this.failure) {
      const piece = this.pending[0];
      try {
        await this.sendWithRetries(piece);
        this.pending.shift();
      } catch (error) {
        this.failure = /** @type {Error} */ (error);
      }
    }
  }

  /**
   * @param {{start: number, blob: Blob}} piece
   * @returns {Promise<void>}
   */
  async sendWithRetries(piece) {
    for (let attempt = 0; ; attempt += 1) {
      // The server may already hold part of the piece (a reply lost on the way back).
      const skip = Math.max(0, this.offset - piece.start);
      if (skip >= piece.blob.size) return;
      let response = null;
      try {
        response = await this.request(
          this.url ?? "",
          "PATCH",
          {
            "Upload-Offset": String(this.offset),
            "Content-Type": "application/offset+octet-stream",
          },
          piece.blob.slice(skip),
        );
      } catch {
        // The network dropped: try again below.
      }
      if (response?.status === 204) {
        this.offset = Number(response.headers.get("Upload-Offset") ?? this.offset);
        this.onProgress(this.offset);
        return;
      }
      if (response && response.status >= 400 && response.status < 500 && response.status !== 409) {
        throw new Error(describeError(response.status, await response.text()));
      }
      if (attempt >= RETRY_DELAYS_MS.length) {
        throw new Error("The connection to Baton is lost; the film so far is kept on the server.");
      }
      await sleep(RETRY_DELAYS_MS[attempt]);
      await this.askOffset();
    }
  }

  /** Asks the server how much it holds (after a failure). */
  async askOffset() {
    try {
      const response = await this.request(this.url ?? "", "HEAD", {});
      if (response.ok) this.offset = Number(response.headers.get("Upload-Offset") ?? this.offset);
    } catch {
      // Still unreachable: the next try asks again.
    }
  }

  /**
   * Waits for every piece, then tells the length: the server takes the recording in.
   * @returns {Promise<string>} the new recording's id
   */
  async finish() {
    await this.sending;
    if (this.failure) throw this.failure;
    const response = await this.request(
      this.url ?? "",
      "PATCH",
      {
        "Upload-Offset": String(this.offset),
        "Upload-Length": String(this.offset),
        "Content-Type": "application/offset+octet-stream",
      },
      new Blob([]),
    );
    if (response.status !== 204)
      throw new Error(describeError(response.status, await response.text()));
    return response.headers.get(RECORDING_HEADER) ?? "";
  }

  /**
   * The page is going away mid-recording: close the upload at what the server holds, with a
   * request that outlives the page. When a piece is still on its way this is refused, and the
   * server closes the upload itself once it has been quiet for a while.
   */
  closeOnLeave() {
    if (!this.url || this.busy) return;
    fetch(this.url, {
      method: "PATCH",
      keepalive: true,
      headers: this.headers({
        "Upload-Offset": String(this.offset),
        "Upload-Length": String(this.offset),
        "Content-Type": "application/offset+octet-stream",
      }),
      body: new Blob([]),
    }).catch(() => {});
  }

  /**
   * Drops the upload and everything sent of it.
   * @returns {Promise<void>}
   */
  async discard() {
    this.pending = [];
    this.failure = new Error("Discarded.");
    if (this.url) await this.request(this.url, "DELETE", {}).catch(() => {});
  }

  /**
   * @param {Record<string, string>} extra
   * @returns {Record<string, string>}
   */
  headers(extra) {
    return { "Tus-Resumable": TUS_VERSION, [CSRF_HEADER]: csrfToken(), ...extra };
  }

  /**
   * @param {string} url
   * @param {string} method
   * @param {Record<string, string>} extra headers
   * @param {Blob} [body]
   * @returns {Promise<Response>}
   */
  request(url, method, extra, body) {
    return fetch(url, { method, headers: this.headers(extra), body });
  }
}
