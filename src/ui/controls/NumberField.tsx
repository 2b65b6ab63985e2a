import { useState } from 'react';

interface Props {
  label: string;
  value: number;
  /** The accepted values; anything else stays a draft, marked invalid, and is not applied. */
  accept: (n: number) => boolean;
  onChange: (n: number) => void;
  disabled?: boolean;
  step?: number | 'any';
  min?: number;
  max?: number;
}

/**
 * A number input that keeps what the person types (e.g. "0.00" on the way to "0.001") instead
 * of snapping back to the stored value, and applies it only once it is valid.
 */
export function NumberField({ label, value, accept, onChange, disabled = false, ...rest }: Props) {
  const [draft, setDraft] = useState<{ text: string; for: number } | null>(null);
  // A draft belongs to the value it was typed over; a new value from elsewhere replaces it.
  const text = draft && draft.for === value ? draft.text : String(value);
  const valid = text.trim() !== '' && accept(Number(text));
  return (
    <label>
      {label}{' '}
      <input
        type="number"
        aria-label={label}
        aria-invalid={!valid}
        value={text}
        disabled={disabled}
        {...rest}
        onChange={(e) => {
          const n = Number(e.target.value);
          const ok = e.target.value.trim() !== '' && accept(n);
          setDraft({ text: e.target.value, for: ok ? n : value });
          if (ok && n !== value) onChange(n);
        }}
      />
    </label>
  );
}
