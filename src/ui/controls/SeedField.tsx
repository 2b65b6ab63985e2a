import { experimentConfigSchema } from '@/config/schema';
import { useAppStore } from '@/store/hooks';
import { NumberField } from './NumberField';

const accept = (n: number) => experimentConfigSchema.shape.seed.safeParse(n).success;

/** The seed of every random choice (calibration subset, shuffling): part of the share link. */
export function SeedField() {
  const seed = useAppStore((s) => s.config.seed);
  const setSeed = useAppStore((s) => s.setSeed);
  return (
    <NumberField
      label="Seed"
      value={seed}
      min={0}
      max={2 ** 31 - 1}
      step={1}
      accept={accept}
      onChange={setSeed}
    />
  );
}
