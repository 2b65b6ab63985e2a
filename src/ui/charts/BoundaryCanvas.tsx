import { memo, useEffect, useRef } from 'react';
import type { BoundaryImage } from '@/store/types';
import { OKABE_ITO } from './palette';
import { ChartPngButton } from './ChartPngButton';

/** Class colours as TensorFlow Playground draws them (orange vs blue; Okabe-Ito shades). */
const CLASS_RGB: readonly [number, number, number][] = [
  [0xe6, 0x9f, 0x00],
  [0x00, 0x72, 0xb2],
];
const CLASS_HEX = [OKABE_ITO.orange, OKABE_ITO.blue];
const PIXELS = 192;

/**
 * One model's decision regions over [-extent, extent]², drawn cell by cell on a canvas (lighter
 * where the softmax is less sure), with the test points on top.
 */
export const BoundaryCanvas = memo(function BoundaryCanvas(props: {
  testId: string;
  title: string;
  image: BoundaryImage;
  size: number;
  extent: number;
  points: Float32Array;
  labels: Uint8Array;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { image, size, extent, points, labels } = props;
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const cells = ctx.createImageData(size, size);
    for (let i = 0; i < size * size; i++) {
      const rgb = CLASS_RGB[image.label[i] ?? 0] ?? CLASS_RGB[0];
      // Confidence 1/C..1 → opacity 0.15..0.75: the boundary shows as a pale band.
      const alpha = 0.15 + 0.6 * Math.max(0, Math.min(1, ((image.confidence[i] ?? 0.5) - 0.5) * 2));
      cells.data.set([rgb?.[0] ?? 0, rgb?.[1] ?? 0, rgb?.[2] ?? 0, Math.round(alpha * 255)], 4 * i);
    }
    ctx.clearRect(0, 0, PIXELS, PIXELS);
    const tile = document.createElement('canvas');
    tile.width = tile.height = size;
    tile.getContext('2d')?.putImageData(cells, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(tile, 0, 0, PIXELS, PIXELS);
    const px = (v: number) => ((v + extent) / (2 * extent)) * PIXELS;
    ctx.lineWidth = 0.75;
    ctx.strokeStyle = '#fff';
    for (let i = 0; i < labels.length; i++) {
      // Class 0 as circles, class 1 as squares: the classes differ by shape, not colour only.
      const cx = px(points[2 * i] ?? 0);
      const cy = PIXELS - px(points[2 * i + 1] ?? 0);
      ctx.beginPath();
      if (labels[i] === 1) ctx.rect(cx - 2, cy - 2, 4, 4);
      else ctx.arc(cx, cy, 2.2, 0, 2 * Math.PI);
      ctx.fillStyle = CLASS_HEX[labels[i] ?? 0] ?? OKABE_ITO.black;
      ctx.fill();
      ctx.stroke();
    }
    ref.current?.setAttribute('data-drawn', 'true');
  }, [image, size, extent, points, labels]);
  const ones = image.label.reduce((n, l) => n + (l === 1 ? 1 : 0), 0);
  return (
    <figure className="chart boundary" data-testid={props.testId}>
      <figcaption>{props.title}</figcaption>
      <ChartPngButton label={`${props.title} decision boundary`} />
      <canvas
        ref={ref}
        width={PIXELS}
        height={PIXELS}
        data-class1={ones / Math.max(1, image.label.length)}
        aria-label={`${props.title}: decision regions over [-${extent}, ${extent}]² (class 1, blue, on ${(
          (100 * ones) /
          Math.max(1, image.label.length)
        ).toFixed(
          0,
        )}% of the plane) with the test points (class 0 orange circles, class 1 blue squares)`}
        role="img"
      />
    </figure>
  );
});
