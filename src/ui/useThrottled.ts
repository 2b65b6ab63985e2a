import { useEffect, useRef, useState } from 'react';

/**
 * The value, but changing at most once per `ms` (the latest one always arrives, at the end of
 * its interval). QAT sends a result every training step; redrawing six recharts charts that
 * often kept the main thread busy (200–300 ms tasks per step on WASM) and clicks lagged by
 * seconds, so the charts follow the run a few times a second instead.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const show = () => {
      last.current = performance.now();
      setShown(value);
    };
    const wait = last.current + ms - performance.now();
    if (wait <= 0) {
      show();
      return;
    }
    const timer = setTimeout(show, wait);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return shown;
}
