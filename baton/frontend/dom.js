/**
 * Building the page safely: elements from text (never markup), messages in live regions, and
 * numbers, times and dates as people read them.
 */

/**
 * The element with this id, failing loudly if the HTML changed.
 * @param {string} id
 * @returns {HTMLElement}
 */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) throw new Error(`Baton page is missing the element #${id}.`);
  return node;
}

/**
 * Creates an element. Strings among `children` become text nodes, never markup.
 * @param {string} tag
 * @param {Record<string, any>} [props] properties, `dataset`, `role`, or attributes such as
 *   aria-label
 * @param {Array<Node|string>} [children]
 * @returns {HTMLElement}
 */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "className") node.className = value;
    else if (key.includes("-") || key === "role") node.setAttribute(key, String(value));
    else node[key] = value;
  }
  node.append(...children);
  return node;
}

/**
 * Shows a message in a live region.
 * @param {HTMLElement} target
 * @param {string} text empty to clear
 * @param {"info"|"success"|"warning"|"error"} [tone]
 */
export function setMessage(target, text, tone = "info") {
  target.textContent = text;
  target.dataset.tone = tone;
}

/**
 * Formats seconds as mm:ss (minutes keep counting past 59).
 * @param {number|null|undefined} seconds
 * @returns {string}
 */
export function formatTime(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds) || seconds < 0) return "--:--";
  const total = Math.floor(seconds);
  const minutes = Math.floor(total / 60);
  const rest = total % 60;
  return `${String(minutes).padStart(2, "0")}:${String(rest).padStart(2, "0")}`;
}

/**
 * Formats a byte count for people.
 * @param {number} bytes
 * @returns {string}
 */
export function formatBytes(bytes) {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

/**
 * Names a language code ("en" → "English"), falling back to the code itself.
 * @param {string} code
 * @returns {string}
 */
export function languageName(code) {
  try {
    const names = new Intl.DisplayNames([navigator.language || "en"], { type: "language" });
    return names.of(code) || code.toUpperCase();
  } catch {
    return code.toUpperCase();
  }
}

/**
 * Formats an ISO timestamp as a short local date and time ("" when unreadable).
 * @param {string} iso
 * @returns {string}
 */
export function formatCreated(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return format.format(date);
}

/**
 * Turns a stage name such as "extracting_audio" into "Extracting audio".
 * @param {string} stage
 * @returns {string}
 */
export function humanizeStage(stage) {
  const words = stage.replace(/[_-]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : "";
}

/**
 * Ends text with a full stop unless it already ends with punctuation.
 * @param {string} text
 * @returns {string}
 */
export function asSentence(text) {
  const trimmed = text.trim();
  return /[.!?…]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/**
 * @param {number} value
 * @param {number} low
 * @param {number} high
 * @returns {number}
 */
export function clamp(value, low, high) {
  return Math.min(high, Math.max(low, value));
}

/** @returns {boolean} whether the keyboard focus is in a text field (keys are for typing) */
export function isTyping() {
  const active = document.activeElement;
  return (
    active instanceof HTMLInputElement ||
    active instanceof HTMLTextAreaElement ||
    active instanceof HTMLSelectElement ||
    (active instanceof HTMLElement && active.isContentEditable)
  );
}
