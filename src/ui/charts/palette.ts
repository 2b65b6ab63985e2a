/**
 * Okabe-Ito colours (Okabe & Ito 2008, "Color Universal Design"): told apart with every common
 * colour-vision deficiency. Yellow (#F0E442) is left out: it vanishes on a white page.
 */
export const OKABE_ITO = {
  blue: '#0072B2',
  orange: '#E69F00',
  green: '#009E73',
  vermillion: '#D55E00',
  purple: '#CC79A7',
  sky: '#56B4E9',
  black: '#000000',
} as const;

/** Series order for line and bar charts. */
export const PALETTE: readonly string[] = [
  OKABE_ITO.blue,
  OKABE_ITO.orange,
  OKABE_ITO.green,
  OKABE_ITO.vermillion,
  OKABE_ITO.purple,
  OKABE_ITO.sky,
  OKABE_ITO.black,
];

/** Reference lines and thresholds in the charts. */
export const REFERENCE_GREY = '#60646c';
