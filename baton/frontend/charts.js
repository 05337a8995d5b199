/**
 * Small SVG charts drawn without a library: horizontal bars, vertical bars (columns) and a
 * scatter. Each comes as a figure with a caption and the same numbers as a table, so that a
 * screen reader, a keyboard or a printout gets them too. Colours come from the page's CSS.
 */

import { el } from "./dom.js";

const SVG = "http://www.w3.org/2000/svg";

/**
 * @param {string} tag
 * @param {Record<string, string|number>} attributes
 * @param {Array<Node|string>} [children]
 * @returns {SVGElement}
 */
function svg(tag, attributes, children = []) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  node.append(...children);
  return node;
}

/**
 * @typedef {object} Bar
 * @property {string} label
 * @property {number} value
 * @property {string} [note] shown after the value, e.g. "nothing captured"
 */

/**
 * A figure: the chart, its caption, and its numbers as a table behind "Show the numbers".
 * @param {string} caption
 * @param {SVGElement} chart
 * @param {string[]} columns
 * @param {Array<Array<string|number>>} rows
 * @returns {HTMLElement}
 */
function figure(caption, chart, columns, rows) {
  // Drawn at its own size at most, so that a small chart's text is not blown up.
  chart.style.maxWidth = `${chart.getAttribute("viewBox")?.split(" ")[2]}px`;
  return el("figure", { className: "chart" }, [
    el("figcaption", { className: "chart__caption" }, [caption]),
    chart,
    el("details", { className: "chart__table" }, [
      el("summary", {}, ["Show the numbers"]),
      el("table", {}, [
        el("thead", {}, [
          el(
            "tr",
            {},
            columns.map((name) => el("th", { scope: "col" }, [name])),
          ),
        ]),
        el(
          "tbody",
          {},
          rows.map((row) =>
            el(
              "tr",
              {},
              row.map((cell) => el("td", {}, [String(cell)])),
            ),
          ),
        ),
      ]),
    ]),
  ]);
}

/**
 * Horizontal bars, one per row, the label on the left and the value at the bar's end.
 * @param {string} caption
 * @param {Bar[]} bars
 * @param {string} unit the table's heading for the values, e.g. "minutes"
 * @param {(value: number) => string} say a value in words, e.g. 3 → "3 min"
 * @returns {HTMLElement}
 */
export function barChart(caption, bars, unit, say) {
  const width = 640;
  const labelWidth = 200;
  const row = 26;
  const height = Math.max(1, bars.length) * row + 8;
  const most = Math.max(1, ...bars.map((bar) => bar.value));
  const room = width - labelWidth - 230;
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart__svg",
    role: "img",
    "aria-label": caption,
  });
  bars.forEach((bar, index) => {
    const y = index * row + 4;
    const length = Math.max(bar.value > 0 ? 2 : 0, (bar.value / most) * room);
    const shown = `${say(bar.value)}${bar.note ? ` · ${bar.note}` : ""}`;
    chart.append(
      svg(
        "text",
        {
          x: labelWidth - 8,
          y: y + row / 2,
          class: "chart__label",
          "text-anchor": "end",
          "dominant-baseline": "middle",
        },
        [truncate(bar.label, 27)],
      ),
      svg("rect", {
        x: labelWidth,
        y: y + 3,
        width: length,
        height: row - 8,
        rx: 3,
        class: bar.value > 0 ? "chart__bar" : "chart__bar chart__bar--empty",
      }),
      svg(
        "text",
        {
          x: labelWidth + length + 6,
          y: y + row / 2,
          class: "chart__value",
          "dominant-baseline": "middle",
        },
        [shown],
      ),
    );
  });
  return figure(
    caption,
    chart,
    ["", unit],
    bars.map((bar) => [bar.label, `${formatNumber(bar.value)}${bar.note ? ` (${bar.note})` : ""}`]),
  );
}

/**
 * Vertical bars over time, e.g. sessions per month.
 * @param {string} caption
 * @param {Bar[]} bars in time order
 * @param {string} unit
 * @returns {HTMLElement}
 */
export function columnChart(caption, bars, unit) {
  const height = 220;
  const base = height - 40;
  const column = 62;
  const width = Math.max(320, bars.length * column + 40);
  const most = Math.max(1, ...bars.map((bar) => bar.value));
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart__svg",
    role: "img",
    "aria-label": caption,
  });
  chart.append(svg("line", { x1: 20, x2: width - 10, y1: base, y2: base, class: "chart__axis" }));
  bars.forEach((bar, index) => {
    const x = 24 + index * column;
    const tall = (bar.value / most) * (base - 30);
    chart.append(
      svg("rect", {
        x,
        y: base - tall,
        width: column - 12,
        height: tall,
        rx: 3,
        class: "chart__bar",
      }),
      svg(
        "text",
        {
          x: x + (column - 12) / 2,
          y: base - tall - 6,
          class: "chart__value",
          "text-anchor": "middle",
        },
        [formatNumber(bar.value)],
      ),
      svg(
        "text",
        { x: x + (column - 12) / 2, y: base + 18, class: "chart__label", "text-anchor": "middle" },
        [bar.label],
      ),
    );
  });
  return figure(
    caption,
    chart,
    ["", unit],
    bars.map((bar) => [bar.label, formatNumber(bar.value)]),
  );
}

/**
 * @typedef {object} Point
 * @property {string} label
 * @property {number} x
 * @property {number} y
 * @property {boolean} [alarm] drawn in the warning colour
 */

/**
 * A scatter with labelled points.
 * @param {string} caption
 * @param {Point[]} points
 * @param {{x: string, y: string}} axes what each axis counts
 * @returns {HTMLElement}
 */
export function scatterChart(caption, points, axes) {
  const width = 640;
  const height = 300;
  const left = 56;
  const bottom = height - 44;
  const right = width - 20;
  const top = 16;
  const maxX = Math.max(1, ...points.map((point) => point.x));
  const maxY = Math.max(1, ...points.map((point) => point.y));
  const px = (/** @type {number} */ x) => left + (x / maxX) * (right - left - 100);
  const py = (/** @type {number} */ y) => bottom - (y / maxY) * (bottom - top);
  const chart = svg("svg", {
    viewBox: `0 0 ${width} ${height}`,
    class: "chart__svg",
    role: "img",
    "aria-label": caption,
  });
  chart.append(
    svg("line", { x1: left, x2: right, y1: bottom, y2: bottom, class: "chart__axis" }),
    svg("line", { x1: left, x2: left, y1: top, y2: bottom, class: "chart__axis" }),
    svg(
      "text",
      { x: (left + right) / 2, y: height - 8, class: "chart__label", "text-anchor": "middle" },
      [axes.x],
    ),
    svg(
      "text",
      {
        x: 14,
        y: (top + bottom) / 2,
        class: "chart__label",
        "text-anchor": "middle",
        transform: `rotate(-90 14 ${(top + bottom) / 2})`,
      },
      [axes.y],
    ),
    svg("text", { x: left - 6, y: bottom, class: "chart__tick", "text-anchor": "end" }, ["0"]),
    svg("text", { x: left - 6, y: top + 8, class: "chart__tick", "text-anchor": "end" }, [
      formatNumber(maxY),
    ]),
    svg("text", { x: px(maxX), y: bottom + 16, class: "chart__tick", "text-anchor": "middle" }, [
      formatNumber(maxX),
    ]),
  );
  for (const point of points) {
    chart.append(
      svg("circle", {
        cx: px(point.x),
        cy: py(point.y),
        r: 6,
        class: point.alarm ? "chart__dot chart__dot--alarm" : "chart__dot",
      }),
      svg(
        "text",
        {
          x: px(point.x) + 9,
          y: py(point.y),
          class: "chart__label",
          "dominant-baseline": "middle",
        },
        [truncate(point.label, 22)],
      ),
    );
  }
  return figure(
    caption,
    chart,
    ["", axes.x, axes.y],
    points.map((point) => [point.label, formatNumber(point.x), formatNumber(point.y)]),
  );
}

/**
 * @param {number} value
 * @returns {string} whole numbers as they are, others to one decimal place
 */
function formatNumber(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/**
 * @param {string} text
 * @param {number} most characters
 * @returns {string}
 */
function truncate(text, most) {
  return text.length > most ? `${text.slice(0, most - 1)}…` : text;
}
