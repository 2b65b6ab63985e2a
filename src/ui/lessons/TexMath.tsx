import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';

/**
 * A formula rendered by KaTeX (bundled with its fonts, so it works offline). Only the lessons'
 * constant TeX strings come here, never text from a link or a file; `trust` stays off, so
 * KaTeX itself refuses \href, \url and HTML extensions.
 */
export function TexMath({ tex }: { tex: string }) {
  const html = useMemo(
    () => katex.renderToString(tex, { displayMode: true, throwOnError: false, trust: false }),
    [tex],
  );
  // Safe: KaTeX escapes every character of its input; the input is a trusted constant.
  return <div className="lesson-math" dangerouslySetInnerHTML={{ __html: html }} />;
}
