import type { ExperimentConfig } from '@/config/schema';
import type { BackendInfo, EngineHandle, Fp32Result, ModelCard, Progress } from '@/worker/api';

export type EngineStatus = 'starting' | 'ready' | 'failed';
export type RunStatus = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Notification {
  id: number;
  kind: 'error' | 'info';
  message: string;
}

export interface AppState {
  config: ExperimentConfig;
  engine: { status: EngineStatus; info: BackendInfo | null };
  models: ModelCard[];
  run: { status: RunStatus; progress: Progress | null; result: Fp32Result | null };
  notifications: Notification[];
}

export interface AppActions {
  /** Starts (or restarts) the engine worker on the configured backend and lists the zoo. */
  startEngine(): Promise<void>;
  setModel(id: string): void;
  setBackend(backend: ExperimentConfig['backend']): void;
  setEvalLimit(limit: number | null): void;
  /** Replaces the whole config (from a share link) and restarts what it changes. */
  applyConfig(config: ExperimentConfig): void;
  evaluate(): Promise<void>;
  cancel(): void;
  notify(kind: Notification['kind'], message: string): void;
  dismiss(id: number): void;
}

export type AppStore = AppState & AppActions;

/** How the store gets an engine: the real worker in the app, a fake in tests. */
export type EngineFactory = () => EngineHandle;
