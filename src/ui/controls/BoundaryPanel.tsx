import { useAppStore } from '@/store/hooks';
import { percent } from '../format';
import { BoundaryCanvas } from '../charts/BoundaryCanvas';

/**
 * FP32 and quantized decision boundaries of a 2-D model side by side (TensorFlow-Playground
 * style), from the last run: where quantization noise (paper 2.2) moves the boundary, and
 * which test points change side.
 */
export function BoundaryPanel() {
  const b = useAppStore((s) => s.boundary);
  if (!b) return null;
  const n = b.fp32.label.length;
  let differ = 0;
  for (let i = 0; i < n; i++) if (b.fp32.label[i] !== b.quantized.label[i]) differ++;
  const common = { size: b.size, extent: b.extent, points: b.points, labels: b.labels };
  return (
    <>
      <h4>Decision boundaries</h4>
      <div
        className="boundaries"
        data-testid="boundaries"
        data-link={b.link}
        data-size={b.size}
        data-disagreement={differ / Math.max(1, n)}
      >
        <BoundaryCanvas testId="boundary-fp32" title="FP32" image={b.fp32} {...common} />
        <BoundaryCanvas
          testId="boundary-quantized"
          title="Quantized"
          image={b.quantized}
          {...common}
        />
        <p className="muted">
          {b.size}×{b.size} grid over [−{b.extent}, {b.extent}]², {b.labels.length} test points
          (class 0: orange circles, class 1: blue squares); the quantized model decides differently
          on {percent(differ / Math.max(1, n), 1)} of the plane.
        </p>
      </div>
    </>
  );
}
