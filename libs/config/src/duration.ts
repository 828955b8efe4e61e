// Durations in configuration and in versioned files (workflow SLAs): `200ms`, `5s`, `2m`, `1h`, `1d`.

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `200ms`, `5s`, `2m`, `1h`, `1d` (also `1.5s`) → milliseconds; RangeError otherwise. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text.trim());
  if (!m) throw new RangeError(`'${text}' is not a duration such as 200ms, 5s, 2m, 1h or 1d`);
  const ms = Math.round(Number(m[1]) * UNITS[m[2]!]!);
  if (ms <= 0) throw new RangeError(`'${text}' must be longer than 0`);
  return ms;
}

/** Milliseconds → the shortest exact form among d, h, m, s, ms (`86400000` → `1d`, `90000` → `90s`). */
export function formatDuration(ms: number): string {
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1_000]] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
