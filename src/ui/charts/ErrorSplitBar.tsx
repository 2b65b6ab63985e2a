import type { ErrorSplit } from '@/quant/tensorView';
import { OKABE_ITO } from './palette';

const sci = (v: number) => (v === 0 ? '0' : v.toExponential(2));

/**
 * The quantization MSE split into clipping error (values outside [min, max]) and rounding error
 * (inside, at most (s/2)² each): paper Sec. 2.2's trade-off as one stacked bar. A wider range
 * trades clipping for rounding; fewer bits raise rounding error at every range.
 */
export function ErrorSplitBar({ testId, errors }: { testId: string; errors: ErrorSplit }) {
  const total = errors.clipping + errors.rounding;
  const share = total > 0 ? errors.clipping / total : 0;
  return (
    <div
      className="error-split"
      data-testid={testId}
      data-clipping={errors.clipping}
      data-rounding={errors.rounding}
      data-clipped={errors.clipped}
    >
      <div
        className="error-split-bar"
        role="img"
        aria-label={`Clipping ${(share * 100).toFixed(0)}% of the error`}
      >
        <span style={{ width: `${share * 100}%`, background: OKABE_ITO.vermillion }} />
        <span style={{ width: `${(1 - share) * 100}%`, background: OKABE_ITO.sky }} />
      </div>
      <p className="muted">
        MSE {sci(total)} ={' '}
        <span style={{ color: OKABE_ITO.vermillion }}>clipping {sci(errors.clipping)}</span> (
        {errors.clipped} of {errors.count} values outside [min, max]) +{' '}
        <span style={{ color: OKABE_ITO.blue }}>rounding {sci(errors.rounding)}</span>
      </p>
    </div>
  );
}
