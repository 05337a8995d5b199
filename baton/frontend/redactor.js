/**
 * The redaction tool on a transcript line: the line's words become buttons; pressing a first
 * and a last word selects the words between; "Redact" takes that span out of the recording for
 * good (its words leave the transcript, search and exports, and the sound is silenced). Buttons
 * rather than a text selection, so that it works with a keyboard and a finger on a tablet.
 */

import { el, formatTime, setMessage } from "./dom.js";
import { sendJson } from "./http.js";

/** @typedef {{word: string, start: number, end: number}} Word */

/**
 * Seconds to two decimals, as the span is shown before it is cut.
 * @param {number} seconds
 * @returns {string}
 */
function preciseTime(seconds) {
  const whole = formatTime(seconds);
  return `${whole}.${String(Math.floor((seconds % 1) * 100)).padStart(2, "0")}`;
}

/**
 * Opens the tool under a line (closing any other open one).
 * @param {HTMLElement} item the transcript line
 * @param {{id: number, words?: Word[]}} segment
 * @param {string} url where the recording's redactions are posted
 * @param {(said: string) => void} done told what was redacted, once it is
 */
export function openRedactor(item, segment, url, done) {
  for (const open of document.querySelectorAll(".redactor")) open.remove();
  const words = (segment.words ?? []).filter((word) => word.word.trim());
  const errorBox = /** @type {HTMLElement} */ (item.querySelector(".inline-error"));
  if (!words.length) {
    setMessage(errorBox, "This line has no timed words to redact.", "error");
    return;
  }
  /** @type {number[]} the pressed words' positions: the first and the last of the span */
  let ends = [];
  const reasonId = `redact-reason-${segment.id}`;
  const buttons = words.map(
    (word, index) =>
      /** @type {HTMLButtonElement} */ (
        el(
          "button",
          {
            type: "button",
            className: "redactor__word",
            "aria-pressed": "false",
            dataset: { index: String(index) },
          },
          [word.word.trim()],
        )
      ),
  );
  const reason = /** @type {HTMLInputElement} */ (
    el("input", {
      id: reasonId,
      type: "text",
      maxLength: 300,
      placeholder: "e.g. a customer's name",
    })
  );
  const submit = /** @type {HTMLButtonElement} */ (
    el("button", { type: "submit", className: "btn btn--danger btn--small", disabled: true }, [
      "Redact",
    ])
  );
  const summary = el("p", { className: "redactor__summary", role: "status" }, [
    "Press the first and the last word to take out.",
  ]);

  const span = () => {
    if (!ends.length) return null;
    const first = Math.min(...ends);
    const last = Math.max(...ends);
    return { first, last, start: words[first].start, end: words[last].end };
  };
  const show = () => {
    const chosen = span();
    buttons.forEach((button, index) => {
      const inside = chosen !== null && index >= chosen.first && index <= chosen.last;
      button.setAttribute("aria-pressed", String(inside));
    });
    submit.disabled = chosen === null;
    if (!chosen) {
      summary.textContent = "Press the first and the last word to take out.";
      return;
    }
    const count = chosen.last - chosen.first + 1;
    summary.textContent =
      `${count} ${count === 1 ? "word" : "words"} from ${preciseTime(chosen.start)} to ` +
      `${preciseTime(chosen.end)}. Redacting cannot be undone.`;
    submit.textContent = `Redact ${count} ${count === 1 ? "word" : "words"}`;
  };

  const form = el(
    "form",
    { className: "redactor", noValidate: true, "aria-label": "Redact words of this line" },
    [
      el("div", { className: "redactor__words" }, buttons),
      summary,
      el("div", { className: "field" }, [
        el("label", { htmlFor: reasonId }, [
          "Why (kept with the redaction; not the words themselves)",
        ]),
        reason,
      ]),
      el("div", { className: "segment__actions" }, [
        submit,
        el(
          "button",
          { type: "button", className: "btn btn--ghost btn--small", dataset: { close: "true" } },
          ["Cancel"],
        ),
      ]),
    ],
  );
  form.addEventListener("click", (event) => {
    const target = /** @type {HTMLElement} */ (event.target);
    if (target.dataset.close) {
      form.remove();
      /** @type {HTMLElement|null} */ (item.querySelector(".segment__redact"))?.focus();
      return;
    }
    if (!target.classList.contains("redactor__word")) return;
    const index = Number(target.dataset.index);
    // A third press starts a new span; pressing a lone chosen word again clears it.
    if (ends.length === 1 && ends[0] === index) ends = [];
    else if (ends.length >= 2) ends = [index];
    else ends.push(index);
    show();
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = span();
    if (!chosen) return;
    submit.disabled = true;
    setMessage(errorBox, "");
    try {
      await sendJson(url, "POST", {
        start: chosen.start,
        end: chosen.end,
        reason: reason.value.trim(),
      });
    } catch (error) {
      submit.disabled = false;
      setMessage(errorBox, `Not redacted: ${error.message}`, "error");
      return;
    }
    form.remove();
    done(
      `Redacted ${preciseTime(chosen.start)}–${preciseTime(chosen.end)}: those words are gone ` +
        "from the transcript, search and exports, and the sound over them is silent.",
    );
  });
  errorBox.before(form);
  buttons[0].focus();
}
