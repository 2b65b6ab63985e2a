/**
 * Layout facts a person notices on a 1280x720 projector, measured in the page: a horizontal
 * scrollbar, key controls off screen or on top of each other, text cut off by its box.
 */
import { expect, type Page } from '@playwright/test';

export const VIEWPORT = { width: 1280, height: 720 };

export interface LayoutReport {
  scrollWidth: number;
  /** Key controls (by selector) that are not wholly inside the viewport. */
  offscreen: string[];
  /** Pairs of key controls whose boxes intersect. */
  overlapping: string[];
  /** Visible text boxes whose content is wider or taller than the box (clipped or spilling). */
  clipped: string[];
  /** Visible elements reaching past the right edge of the viewport. */
  pastRightEdge: string[];
}

/** Measures the page; `keys` are CSS selectors of controls that must be on screen, apart. */
export function measureLayout(page: Page, keys: readonly string[]): Promise<LayoutReport> {
  return page.evaluate((keys) => {
    const W = window.innerWidth;
    const H = window.innerHeight;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${
        el.getAttribute('aria-label') ? `[${el.getAttribute('aria-label')}]` : ''
      } "${(el.textContent ?? '').trim().slice(0, 40)}"`;
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      const cs = getComputedStyle(el);
      return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none';
    };
    const boxes: { key: string; r: DOMRect }[] = [];
    const offscreen: string[] = [];
    for (const key of keys) {
      const el = document.querySelector(key);
      if (!el || !visible(el)) {
        offscreen.push(`${key} (missing)`);
        continue;
      }
      const r = el.getBoundingClientRect();
      if (r.left < -0.5 || r.top < -0.5 || r.right > W + 0.5 || r.bottom > H + 0.5)
        offscreen.push(`${key} at ${Math.round(r.left)},${Math.round(r.top)}`);
      boxes.push({ key, r });
    }
    const overlapping: string[] = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]?.r;
        const b = boxes[j]?.r;
        if (!a || !b) continue;
        const nested =
          document.querySelector(keys[i] ?? '')?.contains(document.querySelector(keys[j] ?? '')) ||
          document.querySelector(keys[j] ?? '')?.contains(document.querySelector(keys[i] ?? ''));
        const ix = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const iy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (!nested && ix > 1 && iy > 1) overlapping.push(`${boxes[i]?.key} × ${boxes[j]?.key}`);
      }
    const clipped: string[] = [];
    const texts = document.querySelectorAll(
      'button, label, legend, th, td, figcaption, h1, h2, h3, h4, p, span, strong, .zoo-card',
    );
    for (const el of texts) {
      if (!visible(el) || !(el instanceof HTMLElement)) continue;
      // Inline elements have no scroll box of their own; their block parent is checked.
      if (getComputedStyle(el).display === 'inline') continue;
      if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2)
        clipped.push(
          `${name(el)} ${el.scrollWidth}x${el.scrollHeight} in ${el.clientWidth}x${el.clientHeight}`,
        );
    }
    const pastRightEdge: string[] = [];
    for (const el of document.querySelectorAll('body *')) {
      if (!visible(el)) continue;
      if (el.getBoundingClientRect().right > W + 0.5) pastRightEdge.push(name(el));
    }
    return {
      scrollWidth: document.scrollingElement?.scrollWidth ?? 0,
      offscreen,
      overlapping,
      clipped: clipped.slice(0, 20),
      pastRightEdge: pastRightEdge.slice(0, 20),
    };
  }, keys);
}

/** The layout facts every view must satisfy. */
export async function expectCleanLayout(page: Page, keys: readonly string[]): Promise<void> {
  const r = await measureLayout(page, keys);
  expect(r.scrollWidth, 'horizontal scrollbar').toBeLessThanOrEqual(VIEWPORT.width);
  expect(r.pastRightEdge, 'elements past the right edge').toEqual([]);
  expect(r.offscreen, 'key controls outside the viewport').toEqual([]);
  expect(r.overlapping, 'key controls on top of each other').toEqual([]);
  expect(r.clipped, 'text cut off by its box').toEqual([]);
}
