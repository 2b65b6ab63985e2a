import { BACKEND_REQUESTS, type BackendRequest } from '@/config/schema';
import { useAppStore } from '@/store/hooks';
import { selectConfig, selectEngine } from '@/store/selectors';

const LABELS: Record<BackendRequest, string> = {
  auto: 'Auto',
  webgpu: 'WebGPU',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** Shows the running backend and why, and lets the user force another (a fresh worker). */
export function BackendPicker() {
  const { backend } = useAppStore(selectConfig);
  const engine = useAppStore(selectEngine);
  const setBackend = useAppStore((s) => s.setBackend);
  return (
    <div className="backend">
      <label>
        Backend{' '}
        <select
          aria-label="Backend"
          value={backend}
          onChange={(e) => setBackend(e.target.value as BackendRequest)}
        >
          {BACKEND_REQUESTS.map((b) => (
            <option key={b} value={b}>
              {LABELS[b]}
            </option>
          ))}
        </select>
      </label>
      <span className="backend-active" data-testid="active-backend" data-status={engine.status}>
        {engine.status === 'starting' && 'starting…'}
        {engine.status === 'failed' && 'failed to start'}
        {engine.info && engine.info.backend}
      </span>
      {engine.info && (
        <span className="backend-reason" data-testid="backend-reason">
          {engine.info.reason}
        </span>
      )}
    </div>
  );
}
