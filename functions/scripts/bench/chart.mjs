// The acknowledgement latencies the bench measured, as an SVG chart for docs/benchmarks.md: one
// panel per concurrency, one row per handler, on a log scale. Hand-written SVG: no dependency.

const WIDTH = 760;
const LEFT = 230;
const RIGHT = 20;
const ROW = 22;
const PANEL_GAP = 44;

const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
const escape = (text) =>
  String(text).replace(/[<>&]/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;" })[c]);

/**
 * `rows`: [{ concurrency, samples: { handler: ms[] } }]; `labels`: handler → its name on the chart.
 * Each row shows the 5th to 95th percentile as a line, the 25th to 75th as a box, the median as a
 * bar and the 99th as a dot.
 */
export function latencySvg(rows, labels, caption) {
  const handlers = Object.keys(labels);
  const all = rows.flatMap((row) => handlers.flatMap((h) => row.samples[h] ?? []));
  const sorted = [...all].sort((a, b) => a - b);
  const min = 10 ** Math.floor(Math.log10(Math.max(0.5, sorted[0] ?? 1)));
  // The scale ends past the 99.9th percentile; rarer outliers sit on its edge.
  const max = 10 ** Math.ceil(Math.log10(quantile(sorted, 0.999) ?? 100));
  const x = (ms) =>
    LEFT +
    ((Math.log10(Math.min(Math.max(ms, min), max)) - Math.log10(min)) /
      (Math.log10(max) - Math.log10(min))) *
      (WIDTH - LEFT - RIGHT);
  const panelHeight = handlers.length * ROW + PANEL_GAP;
  const height = 40 + rows.length * panelHeight + 30;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold">${escape(caption)}</text>`,
  ];
  rows.forEach((row, p) => {
    const top = 40 + p * panelHeight;
    out.push(
      `<text x="10" y="${top + 12}" font-weight="bold">concurrency ${row.concurrency}</text>`,
    );
    for (let decade = min; decade <= max; decade *= 10) {
      out.push(
        `<line x1="${x(decade)}" y1="${top + 18}" x2="${x(decade)}" y2="${top + 18 + handlers.length * ROW}" stroke="#ddd"/>`,
        `<text x="${x(decade)}" y="${top + 30 + handlers.length * ROW}" text-anchor="middle" fill="#666">${decade} ms</text>`,
      );
    }
    handlers.forEach((h, i) => {
      const times = [...(row.samples[h] ?? [])].sort((a, b) => a - b);
      if (times.length === 0) return;
      const y = top + 18 + i * ROW + ROW / 2;
      const [p5, p25, p50, p75, p95, p99] = [0.05, 0.25, 0.5, 0.75, 0.95, 0.99].map((q) =>
        quantile(times, q),
      );
      out.push(
        `<text x="${LEFT - 8}" y="${y + 4}" text-anchor="end">${escape(labels[h])}</text>`,
        `<line x1="${x(p5)}" y1="${y}" x2="${x(p95)}" y2="${y}" stroke="#4a6fa5"/>`,
        `<rect x="${x(p25)}" y="${y - 6}" width="${Math.max(1, x(p75) - x(p25))}" height="12" fill="#c9d7ee" stroke="#4a6fa5"/>`,
        `<line x1="${x(p50)}" y1="${y - 7}" x2="${x(p50)}" y2="${y + 7}" stroke="#1b2f4f" stroke-width="2"/>`,
        `<circle cx="${x(p99)}" cy="${y}" r="3" fill="#c0392b"/>`,
      );
    });
  });
  out.push(
    `<text x="10" y="${height - 10}" fill="#666">line: 5th–95th percentile · box: 25th–75th · bar: median · dot: 99th</text>`,
    `</svg>`,
  );
  return `${out.join("\n")}\n`;
}
