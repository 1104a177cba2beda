// Rendering helpers: aligned tables, "label  value" lists and JSON.

export type Cell = string | number | boolean | undefined | null;

function text(c: Cell): string {
  return c === undefined || c === null || c === '' ? '-' : String(c);
}

/** Columns separated by two spaces, padded to the widest cell; the last column is not padded. */
export function table(headers: string[], rows: Cell[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(text))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n').join('');
}

/** "Label:  value" lines, labels padded to the longest; undefined values are left out. */
export function fields(pairs: [string, Cell][]): string {
  const shown = pairs.filter(([, v]) => v !== undefined);
  const width = Math.max(0, ...shown.map(([k]) => k.length + 1));
  return shown.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${text(v)}\n`).join('');
}

export function json(data: unknown): string {
  return JSON.stringify(data, null, 2) + '\n';
}
