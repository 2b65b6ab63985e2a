/**
 * CSV as RFC 4180 writes it (CRLF line ends, fields with a comma, quote, CR or LF in double
 * quotes, quotes doubled), with text cells guarded against spreadsheet formula injection
 * (OWASP "CSV Injection"): text starting with = + - @ TAB or CR gets a leading apostrophe, so a
 * layer named `=HYPERLINK(...)` shows as text. Numbers are written as numbers (a headroom of -3
 * stays a number); a text starting with an apostrophe gets one more, so `unguardCell` undoes the
 * guard exactly and a parsed file round-trips.
 */

/** A cell: text (guarded), a number (finite as is; ±Infinity/NaN as guarded text), or empty. */
export type CsvCell = string | number | null;

const FORMULA_START = /^[=+\-@\t\r']/;
const NEEDS_QUOTES = /[",\r\n]/;

/** @example guardCell('=1+1') === "'=1+1"; guardCell('conv1') === 'conv1' */
export function guardCell(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Inverse of guardCell for a text cell. @example unguardCell("'=1+1") === '=1+1' */
export function unguardCell(text: string): string {
  return text.startsWith("'") ? text.slice(1) : text;
}

function field(cell: CsvCell): string {
  let text: string;
  if (cell === null) text = '';
  else if (typeof cell === 'number')
    text = Number.isFinite(cell) ? String(cell) : guardCell(String(cell));
  else text = guardCell(cell);
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows → CSV text with a header row, every record (the last too) ended by CRLF. */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((r) => `${r.map(field).join(',')}\r\n`).join('');
}

/**
 * RFC 4180 parser (also accepts bare LF line ends): the fields as written, quotes removed,
 * guards kept (unguardCell is the caller's, who knows which columns are text).
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === ',') endCell();
    else if (c === '\r' && text[i + 1] === '\n') {
      endCell();
      rows.push(row);
      row = [];
      i++;
    } else if (c === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
    i++;
  }
  if (quoted) throw new Error('CSV ends inside a quoted field.');
  if (cell !== '' || row.length > 0) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** A number cell read back: '' → null, guarded "'-Infinity" → -Infinity. */
export function numberCell(text: string): number | null {
  if (text === '') return null;
  const n = Number(unguardCell(text));
  if (Number.isNaN(n) && unguardCell(text) !== 'NaN') throw new Error(`Not a number: "${text}"`);
  return n;
}
