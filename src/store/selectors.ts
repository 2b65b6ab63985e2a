/** Named selectors, so components and tests read state the same way. */
import type { AppStore } from './types';

export const selectConfig = (s: AppStore) => s.config;
export const selectModels = (s: AppStore) => s.models;
export const selectEngine = (s: AppStore) => s.engine;
export const selectRun = (s: AppStore) => s.run;
export const selectQat = (s: AppStore) => s.qat;
export const selectUpload = (s: AppStore) => s.upload;
export const selectNotifications = (s: AppStore) => s.notifications;
export const selectActiveModel = (s: AppStore) =>
  s.models.find((m) => m.id === s.config.model) ?? null;
