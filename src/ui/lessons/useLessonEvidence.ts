/**
 * Collects what the app measured for the open lesson: the finished run of its link and of its
 * "try this" config (matched by link, so a stale or foreign run never counts), the focus
 * layer's tensors from the lesson's run, the debugging flow, QAT and decision boundaries.
 * Kept per lesson in component state: trying something else does not erase the evidence.
 */
import { useEffect, useMemo, useState } from 'react';
import { useAppStore } from '@/store/hooks';
import { lessonConfig, runKey } from './index';
import type { Lesson, LessonEvidence } from './types';

type Captured = Omit<LessonEvidence, 'config'>;
const EMPTY: Captured = {
  run: null,
  tried: null,
  weights: null,
  activations: null,
  debug: null,
  qat: null,
  boundary: null,
  triedBoundary: null,
};

export function useLessonEvidence(lesson: Lesson): LessonEvidence {
  const config = useMemo(() => lessonConfig(lesson.id), [lesson.id]);
  const keys = useMemo(
    () => ({ run: runKey(config), tried: runKey(lesson.tryThis.apply(config)) }),
    [config, lesson],
  );
  const [got, setGot] = useState<{ id: string; captured: Captured }>({
    id: lesson.id,
    captured: EMPTY,
  });
  const captured = got.id === lesson.id ? got.captured : EMPTY;

  const quant = useAppStore((s) => s.quant);
  const layerData = useAppStore((s) => s.layerData);
  const debug = useAppStore((s) => s.debug);
  const qat = useAppStore((s) => s.qat);
  const boundary = useAppStore((s) => s.boundary);
  const selectedLayer = useAppStore((s) => s.selectedLayer);
  const selectLayer = useAppStore((s) => s.selectLayer);

  useEffect(() => {
    const next: Partial<Captured> = {};
    const r = quant.status === 'done' ? quant.result : null;
    const rKey = r ? runKey(r.link) : null;
    if (r && rKey === keys.run && !captured.run) next.run = r;
    if (r && rKey === keys.tried && !captured.tried) next.tried = r;
    const bKey = boundary ? runKey(boundary.link) : null;
    if (boundary && bKey === keys.run && !captured.boundary) next.boundary = boundary;
    if (boundary && bKey === keys.tried && !captured.triedBoundary) next.triedBoundary = boundary;
    const w = layerData.weights;
    if (w && w.node === lesson.focus && runKey(w.link) === keys.run && !captured.weights)
      next.weights = w;
    const a = layerData.activations;
    if (a && a.node === lesson.focus && runKey(a.link) === keys.run && !captured.activations)
      next.activations = a;
    if (debug.report && runKey(debug.report.link) === keys.run && !captured.debug)
      next.debug = debug.report;
    if (
      qat.status === 'done' &&
      qat.result &&
      runKey(qat.result.link) === keys.run &&
      !captured.qat
    )
      next.qat = qat.result;
    if (Object.keys(next).length) setGot({ id: lesson.id, captured: { ...captured, ...next } });
  }, [quant, layerData, debug, qat, boundary, keys, lesson, captured]);

  // The lesson's layer is opened once its run is in, so its tensors are fetched.
  const runDone = captured.run !== null;
  useEffect(() => {
    if (runDone && lesson.focus && !captured.weights && selectedLayer !== lesson.focus)
      selectLayer(lesson.focus);
  }, [runDone, lesson.focus, captured.weights, selectedLayer, selectLayer]);

  return { config, ...captured };
}
