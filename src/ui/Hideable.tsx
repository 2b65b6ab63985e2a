import type { ReactNode } from 'react';
import type { HideGroup } from '@/config/hide';
import { useAppStore } from '@/store/hooks';

/** Whether a teacher's link hides this control group (`hide=`, config/hide.ts). */
export function useHidden(group: HideGroup): boolean {
  return useAppStore((s) => s.config.hide.includes(group));
}

/**
 * Renders its children unless the link hides `group`; then `fallback` (default nothing). Hidden
 * controls are not rendered at all, so a keyboard user cannot tab into them either.
 */
export function Hideable(props: { group: HideGroup; children: ReactNode; fallback?: ReactNode }) {
  return useHidden(props.group) ? (props.fallback ?? null) : props.children;
}
