import { useAppStore } from '@/store/hooks';
import { resultsCsv, resultsJson, resultsRecord } from '@/store/resultsExport';
import type { QuantResult } from '@/store/types';
import { download } from '../download';

/**
 * Downloads of a finished run: the results (config, share link, accuracies, the layer table) as
 * JSON or CSV, and the quantized model (model.json + weights.bin + AIMET encodings, the same
 * files QAT exports), which `npm run cli -- eval --encodings-in` re-evaluates.
 */
export function RunExport({ result }: { result: QuantResult }) {
  const ptqFiles = useAppStore((s) => s.ptqFiles);
  const done = result.stage === 'done';
  const name = result.modelId;
  const record = () => resultsRecord(result, window.location.href);
  return (
    <div className="run-export" role="group" aria-label="Export this run">
      <span className="muted">Export:</span>
      <button
        type="button"
        disabled={!done}
        onClick={() => download(`${name}-results.json`, resultsJson(record()))}
      >
        Results JSON
      </button>
      <button
        type="button"
        disabled={!done}
        onClick={() => download(`${name}-results.csv`, resultsCsv(record()), 'text/csv')}
      >
        Results CSV
      </button>
      <button
        type="button"
        disabled={!done}
        title="model.json + weights.bin (TF.js Layers, the folded model with AdaRound kernels and corrected biases) and its encodings (AIMET JSON)"
        onClick={() =>
          void ptqFiles().then((f) => {
            if (!f) return;
            // The manifest in model.json names weights.bin: keep that file name.
            download(`${name}-ptq-model.json`, f.modelJson);
            download('weights.bin', f.weightsBin, 'application/octet-stream');
            download(`${name}-ptq-encodings.json`, f.encodingsJson);
          })
        }
      >
        Quantized model
      </button>
    </div>
  );
}
