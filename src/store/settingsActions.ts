/**
 * The store's experiment-settings actions (the controls panel): the global weight/activation
 * quantizers (paper 2.2; overrides made from the table follow them, store/overrideEdits.ts),
 * calibration, the integer path, the PTQ steps and the standard PTQ pipeline preset (paper 3.5,
 * config/ptqPreset.ts), and one layer's override choice. Each is a config edit: setConfig
 * decides whether the PTQ result is re-run.
 */
import { DEFAULT_ACTIVATIONS, DEFAULT_WEIGHTS } from '@/config/defaults';
import { standardPtqConfig } from '@/config/ptqPreset';
import type { ExperimentConfig } from '@/config/schema';
import { followGlobal } from './overrideEdits';
import type { AppActions, AppStore } from './types';

export interface SettingsContext {
  get(): AppStore;
  setConfig(patch: Partial<ExperimentConfig>): void;
}

export type SettingsActions = Pick<
  AppActions,
  | 'setQuantizer'
  | 'patchQuantizer'
  | 'setCalibration'
  | 'setInteger'
  | 'setPtq'
  | 'applyStandardPtq'
  | 'setOverride'
>;

export function createSettingsActions(ctx: SettingsContext): SettingsActions {
  const { get, setConfig } = ctx;
  /** A global quantizer edit; overrides made from the table follow it (store/overrideEdits.ts). */
  const setGlobal = (kind: 'weights' | 'activations', next: ExperimentConfig['weights']) => {
    const { overrides, [kind]: prev } = get().config;
    setConfig({ [kind]: next, overrides: followGlobal(overrides, kind, prev, next) });
  };

  const quantChoice = (kind: 'weights' | 'activations') => {
    const c = get().config[kind];
    return c === 'fp32' ? (kind === 'weights' ? DEFAULT_WEIGHTS : DEFAULT_ACTIVATIONS) : c;
  };

  return {
    setQuantizer: (kind, choice) => setGlobal(kind, choice),
    patchQuantizer: (kind, patch) => setGlobal(kind, { ...quantChoice(kind), ...patch }),
    setCalibration: (calibration) => setConfig({ calibration }),
    setInteger: (patch) => setConfig({ integer: { ...get().config.integer, ...patch } }),
    setPtq: (patch) => setConfig({ ptq: { ...get().config.ptq, ...patch } }),
    applyStandardPtq: () => {
      const { config, models } = get();
      const card = models.find((m) => m.id === config.model);
      const hasDepthwise = !!card?.layers.some((l) => /Depthwise|Separable/.test(l.type));
      setConfig(standardPtqConfig(config, { hasDepthwise }));
    },
    setOverride: (node, kind, choice) => {
      const overrides = { ...get().config.overrides };
      const entry = { ...overrides[node] };
      if (choice === undefined) delete entry[kind];
      else entry[kind] = choice;
      if (entry.weights === undefined && entry.activations === undefined) delete overrides[node];
      else overrides[node] = entry;
      setConfig({ overrides });
    },
  };
}
