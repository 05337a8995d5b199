/**
 * The page's views (Sessions, Film a session, …) behind one navigation bar, addressed by the
 * URL's hash ("#/film"), so that Back, reload and shared links land on the same view. A moment
 * link ("#play=<id>&t=<seconds>") belongs to the Sessions view, where the player is.
 */

/**
 * @typedef {object} View
 * @property {(fromElsewhere: boolean) => void} [enter] called each time the view is shown;
 *   told whether another view was shown before
 * @property {() => void} [leave] called when another view replaces it
 */

/** @type {Map<string, View>} */
const views = new Map();
let current = "";

/**
 * The address of a moment of a recording: `#play=<id>&t=<seconds>`.
 * @param {string} id
 * @param {number} seconds
 * @returns {string}
 */
export function momentHash(id, seconds) {
  return `#${new URLSearchParams({ play: id, t: String(Math.max(0, Math.floor(seconds))) })}`;
}

/**
 * @param {string} hash e.g. "#/film"
 * @returns {string} the view's name
 */
export function viewOf(hash) {
  const match = /^#\/([a-z-]+)/.exec(hash);
  return match && views.has(match[1]) ? match[1] : "library";
}

/**
 * @param {string} name
 * @param {View} view
 */
export function addView(name, view) {
  views.set(name, view);
}

/**
 * Shows one view's page, marks its link as current and hides the others. A view is entered
 * again when the address changes within it (a topic's page after the list of topics).
 * @param {string} name
 */
function show(name) {
  const link = document.querySelector(`#views-nav a[data-view="${name}"]`);
  const target = link && !(/** @type {HTMLElement} */ (link).hidden) ? name : "library";
  const fromElsewhere = current !== "" && target !== current;
  if (target !== current) views.get(current)?.leave?.();
  for (const page of document.querySelectorAll("[data-view-page]")) {
    /** @type {HTMLElement} */ (page).hidden = page.getAttribute("data-view-page") !== target;
  }
  for (const each of document.querySelectorAll("#views-nav a")) {
    if (each.getAttribute("data-view") === target) each.setAttribute("aria-current", "page");
    else each.removeAttribute("aria-current");
  }
  current = target;
  views.get(target)?.enter?.(fromElsewhere);
}

/**
 * Shows the navigation with the links this account may use, then the view the address names.
 * @param {(needs: string) => boolean} may whether the account has what a link's data-needs says
 */
export function startViews(may) {
  const nav = /** @type {HTMLElement} */ (document.getElementById("views-nav"));
  for (const link of nav.querySelectorAll("a")) {
    const needs = link.getAttribute("data-needs");
    link.hidden = needs !== null && !may(needs);
  }
  nav.hidden = false;
  current = "";
  show(viewOf(window.location.hash));
}

window.addEventListener("hashchange", () => {
  if (current) show(viewOf(window.location.hash));
});
