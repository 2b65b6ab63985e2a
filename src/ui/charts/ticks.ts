/**
 * "Nice" axis ticks (1, 2, 5 × 10^k steps), for the charts drawn as plain SVG: recharts'
 * decimal.js tick search is one of the costs that kept its histogram above a frame.
 * @example niceTicks(0, 7, 4) -> [0, 2, 4, 6]
 */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min) || !Number.isFinite(min) || !Number.isFinite(max)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  // The 1-2-5 step closest to the raw one, so the count stays near `count`.
  const m = [1, 2, 5, 10].reduce((a, b) =>
    Math.abs(b * magnitude - raw) < Math.abs(a * magnitude - raw) ? b : a,
  );
  const step = m * magnitude;
  const first = Math.ceil(min / step - 1e-9);
  const out: number[] = [];
  for (let i = first; i * step <= max + step * 1e-9; i++)
    out.push(Number((i * step).toPrecision(12)));
  return out.map((t) => (t === 0 ? 0 : t)); // no -0 labels
}
