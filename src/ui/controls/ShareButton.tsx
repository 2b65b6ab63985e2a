import { useState } from 'react';
import { decodeConfig, encodeConfig } from '@/config/codec';
import { useAppStore } from '@/store/hooks';
import { selectConfig } from '@/store/selectors';

/** The page's address with the config's hash (the URL itself is rewritten 100 ms later). */
export function shareUrl(hash: string): string {
  const { origin, pathname, search } = window.location;
  return `${origin}${pathname}${search}#${hash}`;
}

/**
 * The link to share: the address bar once it shows this config (it may carry keys beside the
 * config, e.g. an open lesson), else the config's own link (the bar lags edits by 100 ms).
 */
function currentUrl(hash: string): string {
  const shown = decodeConfig(window.location.hash).config;
  return encodeConfig(shown) === hash ? window.location.href : shareUrl(hash);
}

type Outcome = { kind: 'idle' } | { kind: 'copied' | 'manual'; hash: string; url: string };

/**
 * Copies the share link. Where the Clipboard API is missing or refused (an insecure origin, a
 * denied permission), the link appears selected in a read-only field to copy by hand.
 */
export function ShareButton() {
  const config = useAppStore(selectConfig);
  const [outcome, setOutcome] = useState<Outcome>({ kind: 'idle' });
  const hash = encodeConfig(config);
  const copy = async () => {
    const url = currentUrl(hash);
    try {
      // navigator.clipboard is undefined outside secure contexts, whatever the types say.
      const clipboard = navigator.clipboard as Clipboard | undefined;
      if (!clipboard) throw new Error('no clipboard');
      await clipboard.writeText(url);
      setOutcome({ kind: 'copied', hash, url });
    } catch {
      setOutcome({ kind: 'manual', hash, url });
    }
  };
  // An outcome is about the link it copied: editing a control makes it stale.
  const current = outcome.kind !== 'idle' && outcome.hash === hash ? outcome : null;
  return (
    <div className="share" data-testid="share">
      <button type="button" onClick={() => void copy()}>
        Copy link
      </button>
      <span role="status" data-testid="share-status">
        {current?.kind === 'copied' && 'Copied'}
      </span>
      {current?.kind === 'manual' && (
        <label>
          Copy this link{' '}
          <input
            type="text"
            readOnly
            aria-label="Share link"
            data-testid="share-link-field"
            value={current.url}
            ref={(el) => el?.select()}
            onFocus={(e) => e.currentTarget.select()}
          />
        </label>
      )}
    </div>
  );
}
