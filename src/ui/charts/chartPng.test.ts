// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { chartFileName, paintPlan, PNG_SCALE, standaloneSvg, wrapText } from './chartPng';

describe('chart PNG planning', () => {
  it('names the file after the model and the chart, with unsafe characters replaced', () => {
    expect(chartFileName('cnn', 'weight-histogram')).toBe('cnn-weight-histogram.png');
    expect(chartFileName('custom-1', '../a b/<c>')).toBe('custom-1-..-a-b-c.png');
    expect(chartFileName('', '')).toBe('x-x.png');
  });

  it('places items relative to the figure at PNG_SCALE and drops empty ones', () => {
    const figure = { x: 10, y: 20, width: 300.4, height: 200 };
    const plan = paintPlan(figure, [
      { kind: 'svg', rect: { x: 10, y: 50, width: 300, height: 170 }, markup: '<svg/>' },
      {
        kind: 'text',
        rect: { x: 12, y: 20, width: 100, height: 14 },
        text: 'cap',
        font: '',
        color: '',
      },
      {
        kind: 'text',
        rect: { x: 12, y: 20, width: 100, height: 14 },
        text: '  ',
        font: '',
        color: '',
      },
      { kind: 'svg', rect: { x: 0, y: 0, width: 0, height: 10 }, markup: '<svg/>' },
    ]);
    expect(PNG_SCALE).toBe(2);
    expect([plan.width, plan.height]).toEqual([601, 400]);
    expect(plan.items.map((i) => i.rect)).toEqual([
      { x: 0, y: 60, width: 600, height: 340 },
      { x: 4, y: 0, width: 200, height: 28 },
    ]);
  });

  it('serialises an SVG as a standalone document at its on-screen size, leaving it untouched', () => {
    document.body.innerHTML =
      '<svg viewBox="0 0 560 190" width="100%"><text x="1" y="2">a &lt; b</text></svg>';
    const svg = document.querySelector('svg') as SVGSVGElement;
    const before = svg.outerHTML;
    const markup = standaloneSvg(
      svg,
      { width: 280, height: 95 },
      {
        fontFamily: 'system-ui',
        fontSize: '16px',
        color: 'rgb(29, 31, 36)',
      },
    );
    expect(svg.outerHTML).toBe(before);
    expect(markup.match(/xmlns="/g)).toHaveLength(1); // a second one makes the Image fail
    const doc = new DOMParser().parseFromString(markup, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(root.getAttribute('width')).toBe('280');
    expect(root.getAttribute('height')).toBe('95');
    expect(root.getAttribute('viewBox')).toBe('0 0 560 190');
    expect(root.getAttribute('style')).toContain('font-family:system-ui');
    expect(root.textContent).toBe('a < b');
  });

  it('gives an SVG without a viewBox one of its size', () => {
    document.body.innerHTML = '<svg width="100" height="50"></svg>';
    const svg = document.querySelector('svg') as SVGSVGElement;
    const markup = standaloneSvg(
      svg,
      { width: 100, height: 50 },
      {
        fontFamily: 'a',
        fontSize: '1px',
        color: 'red',
      },
    );
    expect(markup).toContain('viewBox="0 0 100 50"');
  });

  it('wraps a caption the way it wraps on screen', () => {
    expect(wrapText('a b c', 3, (t) => t.length)).toEqual(['a b', 'c']);
    expect(wrapText('longword x', 3, (t) => t.length)).toEqual(['longword', 'x']);
  });
});
