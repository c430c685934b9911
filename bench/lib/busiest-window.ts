/**
 * The most events inside any window of `windowMs`, closed on the right as Tencent and the emulator
 * count ((t - windowMs, t]): how a rate limit is checked after the fact, from arrival times.
 */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while (sorted[start]! <= sorted[end]! - windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
