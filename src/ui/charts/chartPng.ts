/**
 * Any chart as a PNG: its figure (caption, SVG charts, legend text, canvases) painted onto one
 * canvas at PNG_SCALE× its on-screen size. recharts draws its legend as HTML beside the SVG, so
 * the figure is painted piece by piece at the pieces' on-screen rectangles: each SVG through an
 * Image of its serialised markup, each canvas (the decision boundaries) directly, text with the
 * computed font. The planning (`paintPlan`, `chartFileName`, `standaloneSvg`) is pure enough to
 * test in jsdom; `figurePng` does the painting in the browser.
 */

/** Device pixels per CSS pixel in the PNG: a 560 px chart becomes 1120 px wide. */
export const PNG_SCALE = 2;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type PaintItem =
  | { kind: 'svg'; rect: Rect; markup: string }
  | { kind: 'canvas'; rect: Rect; source: CanvasImageSource }
  | { kind: 'text'; rect: Rect; text: string; font: string; color: string };

export interface PaintPlan {
  width: number;
  height: number;
  /** Items in figure coordinates × scale; empty ones dropped. */
  items: PaintItem[];
}

/**
 * `<model>-<chart>.png` with anything but letters, digits, '.', '_' and '-' replaced.
 * @example chartFileName('custom-1', 'weight-histogram') === 'custom-1-weight-histogram.png'
 */
export function chartFileName(model: string, chart: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'x';
  return `${safe(model)}-${safe(chart)}.png`;
}

/**
 * Items placed relative to the figure and scaled; the canvas is the figure's size × scale.
 * @example a 300×200 figure at (10, 20) with an SVG at (10, 50) → a 600×400 canvas, SVG at (0, 60).
 */
export function paintPlan(figure: Rect, items: readonly PaintItem[], scale = PNG_SCALE): PaintPlan {
  const place = (r: Rect): Rect => ({
    x: (r.x - figure.x) * scale,
    y: (r.y - figure.y) * scale,
    width: r.width * scale,
    height: r.height * scale,
  });
  return {
    width: Math.round(figure.width * scale),
    height: Math.round(figure.height * scale),
    items: items
      .filter((i) => i.rect.width > 0 && i.rect.height > 0)
      .filter((i) => i.kind !== 'text' || i.text.trim() !== '')
      .map((i) => ({ ...i, rect: place(i.rect) })),
  };
}

/**
 * An SVG element as a standalone document at its on-screen size: namespace, explicit width and
 * height (a `width="100%"` SVG has no size of its own in an Image), and the page's font and
 * colour, which an SVG image does not inherit. The element itself is not changed.
 */
export function standaloneSvg(
  svg: SVGSVGElement,
  size: { width: number; height: number },
  style: { fontFamily: string; fontSize: string; color: string },
): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('width', String(size.width));
  clone.setAttribute('height', String(size.height));
  if (!clone.hasAttribute('viewBox'))
    clone.setAttribute('viewBox', `0 0 ${size.width} ${size.height}`);
  clone.setAttribute(
    'style',
    `font-family:${style.fontFamily};font-size:${style.fontSize};color:${style.color}`,
  );
  // The serializer writes the SVG namespace itself (an xmlns attribute set here would be a
  // second one, and an Image refuses a document with a duplicate attribute).
  const markup = new XMLSerializer().serializeToString(clone);
  return /^<svg[^>]*\sxmlns="/.test(markup)
    ? markup
    : markup.replace(/^<svg/, '<svg xmlns="http://www.w3.org/2000/svg"');
}

/**
 * Greedy word wrap to `maxWidth` (as the caption wraps on screen).
 * @example wrapText('a b c', 3, (t) => t.length) // ['a b', 'c']
 */
export function wrapText(text: string, maxWidth: number, width: (t: string) => number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const next = line ? `${line} ${word}` : word;
    if (line && width(next) > maxWidth) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  lines.push(line);
  return lines;
}

const rectOf = (el: Element): Rect => {
  const r = el.getBoundingClientRect();
  return { x: r.left, y: r.top, width: r.width, height: r.height };
};

/** What a figure shows, as paint items (the PNG button and tooltips left out). */
export function figureItems(figure: HTMLElement): PaintItem[] {
  const items: PaintItem[] = [];
  const skip = (el: Element) => !!el.closest('.png-button, .recharts-tooltip-wrapper');
  const text = (el: Element) => {
    const cs = getComputedStyle(el);
    items.push({
      kind: 'text',
      rect: rectOf(el),
      text: (el.textContent ?? '').replace(/\s+/g, ' ').trim(),
      font: cs.font || `${cs.fontSize} ${cs.fontFamily}`,
      color: cs.color,
    });
  };
  const caption = figure.querySelector(':scope > figcaption');
  if (caption) text(caption);
  for (const svg of figure.querySelectorAll('svg')) {
    if (skip(svg)) continue;
    const rect = rectOf(svg);
    const cs = getComputedStyle(svg);
    const markup = standaloneSvg(svg, rect, {
      fontFamily: cs.fontFamily,
      fontSize: cs.fontSize,
      color: cs.color,
    });
    items.push({ kind: 'svg', rect, markup });
  }
  for (const c of figure.querySelectorAll('canvas'))
    if (!skip(c)) items.push({ kind: 'canvas', rect: rectOf(c), source: c });
  for (const t of figure.querySelectorAll('.recharts-legend-item-text')) if (!skip(t)) text(t);
  return items;
}

function loadSvg(markup: string): Promise<HTMLImageElement> {
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(markup)}`;
  return img.decode().then(() => img);
}

/** Paints the figure on a white canvas and encodes it as PNG bytes. */
export async function figurePng(figure: HTMLElement, scale = PNG_SCALE): Promise<ArrayBuffer> {
  const plan = paintPlan(rectOf(figure), figureItems(figure), scale);
  const canvas = document.createElement('canvas');
  canvas.width = plan.width;
  canvas.height = plan.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2-D canvas to draw the chart on.');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, plan.width, plan.height);
  const images = await Promise.all(
    plan.items.map((i) => (i.kind === 'svg' ? loadSvg(i.markup) : null)),
  );
  plan.items.forEach((item, k) => {
    const { x, y, width, height } = item.rect;
    if (item.kind === 'text') {
      ctx.save();
      ctx.scale(scale, scale);
      ctx.font = item.font;
      ctx.fillStyle = item.color;
      ctx.textBaseline = 'middle';
      const lines = wrapText(item.text, width / scale, (t) => ctx.measureText(t).width);
      const lineHeight = height / scale / lines.length;
      lines.forEach((line, i) =>
        ctx.fillText(line, x / scale, y / scale + lineHeight * (i + 0.5), width / scale),
      );
      ctx.restore();
      return;
    }
    const source = item.kind === 'svg' ? images[k] : item.source;
    if (source) {
      ctx.imageSmoothingEnabled = item.kind === 'svg'; // boundary cells stay crisp
      ctx.drawImage(source, x, y, width, height);
    }
  });
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the chart as PNG.');
  return blob.arrayBuffer();
}
