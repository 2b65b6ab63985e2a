/** Number formatting for display, in one place so every panel says numbers the same way. */

export const percent = (x: number, digits = 2) => `${(x * 100).toFixed(digits)}%`;

export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

export const seconds = (ms: number) =>
  ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;

/** SQNR in dB for a table cell: one decimal, ∞ for an exact copy, blank when not measured. */
export function dbText(x: number | null | undefined): string {
  if (x === null || x === undefined) return '';
  if (x === Infinity) return '∞';
  if (x === -Infinity) return '−∞';
  return x.toFixed(1);
}
