/**
 * Talking to Baton's API: JSON in and out, the CSRF header on every change, and every failure
 * turned into an {@link ApiError} with a sentence a person can act on.
 */

export const API = "/api/v1";
/** The cookie the server sets beside the session; its value goes back in CSRF_HEADER. */
export const CSRF_COOKIE = "baton_csrf";
export const CSRF_HEADER = "X-CSRF-Token";
/** Methods that change something, and so must prove they come from this page. */
export const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * @param {string} id recording id
 * @param {string} [path] below the recording, e.g. "transcript"; the recording itself when ""
 * @returns {string}
 */
export function recordingUrl(id, path = "") {
  const base = `${API}/recordings/${encodeURIComponent(id)}`;
  return path ? `${base}/${path}` : base;
}

/** Called when a request is refused because the session is gone (set by the page). */
let unauthorized = () => {};

/** A request was refused because the session is gone: hand over to the page. */
export function sessionEnded() {
  unauthorized();
}

/**
 * Says what to do when the server answers 401 outside the sign-in routes.
 * @param {() => void} callback
 */
export function whenSessionEnds(callback) {
  unauthorized = callback;
}

/** Raised by {@link requestJson} with a sentence a person can act on. */
export class ApiError extends Error {
  /**
   * @param {string} message readable explanation
   * @param {number} status HTTP status, 0 when the server was not reached
   */
  constructor(message, status) {
    super(message);
    this.name = "ApiError";
    this.status = status;
  }
}

/**
 * The CSRF token of this browser's session, from the cookie the server set beside it.
 * @returns {string}
 */
export function csrfToken() {
  for (const pair of document.cookie.split(";")) {
    const [name, ...value] = pair.trim().split("=");
    if (name === CSRF_COOKIE) return decodeURIComponent(value.join("="));
  }
  return "";
}

/**
 * Pulls `detail` out of an error body: a string, or FastAPI's list of validation problems.
 * @param {string} body raw response text
 * @returns {string} "" when the body has no usable detail
 */
export function detailFromBody(body) {
  let data;
  try {
    data = JSON.parse(body);
  } catch {
    return "";
  }
  const detail = data && typeof data === "object" ? data.detail : undefined;
  if (typeof detail === "string") return detail.trim();
  if (Array.isArray(detail)) {
    return detail
      .map((item) => {
        if (typeof item === "string") return item;
        const field = Array.isArray(item?.loc) ? item.loc[item.loc.length - 1] : "";
        return item?.msg ? (field ? `${field}: ${item.msg}` : item.msg) : "";
      })
      .filter(Boolean)
      .join(" ");
  }
  return "";
}

/**
 * A readable message for an HTTP status when the server gave no detail.
 * @param {number} status
 * @returns {string}
 */
export function fallbackMessage(status) {
  if (status === 0) {
    return "The server could not be reached. Check the network connection and try again.";
  }
  if (status === 404) return "That item was not found; it may have been deleted.";
  if (status === 413) return "The file is too large for the server to accept.";
  if (status === 415) return "This file type is not supported. Choose an audio or video recording.";
  if (status >= 500) {
    return `The server ran into a problem (HTTP ${status}). Please try again in a moment.`;
  }
  return `The server did not accept the request (HTTP ${status}).`;
}

/**
 * The sentence to show for a failed request.
 * @param {number} status HTTP status, 0 when the server was not reached
 * @param {string} body raw response text
 * @returns {string}
 */
export function describeError(status, body) {
  return (status !== 0 && detailFromBody(body)) || fallbackMessage(status);
}

/**
 * `fetch` returning parsed JSON (null for an empty body such as 204).
 * @param {string} url
 * @param {RequestInit} [options]
 * @returns {Promise<any>}
 * @throws {ApiError} with a readable message; AbortError passes through untouched
 */
export async function requestJson(url, options = {}) {
  let response;
  let body;
  const method = (options.method ?? "GET").toUpperCase();
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json", .../** @type {any} */ (options.headers) };
  if (UNSAFE_METHODS.has(method)) headers[CSRF_HEADER] = csrfToken();
  try {
    response = await fetch(url, { ...options, headers });
    body = await response.text();
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    throw new ApiError(fallbackMessage(0), 0);
  }
  if (response.status === 401 && !url.startsWith(`${API}/auth/`)) unauthorized();
  if (!response.ok) throw new ApiError(describeError(response.status, body), response.status);
  if (body.trim() === "") return null;
  try {
    return JSON.parse(body);
  } catch {
    throw new ApiError(
      "The server sent an answer this page could not read. Reload the page and try again.",
      response.status,
    );
  }
}

/**
 * Sends a JSON body and reads the JSON answer.
 * @param {string} url
 * @param {"PATCH"|"POST"|"PUT"} method
 * @param {object} body
 * @returns {Promise<any>}
 */
export function sendJson(url, method, body) {
  return requestJson(url, {
    method,
    headers: { Accept: "application/json", "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}
