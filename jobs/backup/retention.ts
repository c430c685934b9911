/**
 * Which copies of a backup to keep: `keepDaily N` keeps the newest backup of each of the N most
 * recent days that have one, `keepWeekly M` the newest of each of the M most recent ISO weeks that
 * have one (the rule restic and borg use; days and weeks in UTC). A backup kept by either rule is
 * kept; the rest may be deleted. Pure: no clock, no I/O.
 */

export interface DatedBackup {
  /** Whatever identifies the copy (its key prefix in the bucket). */
  readonly id: string;
  /** When the backup was taken. */
  readonly date: Date;
}

export interface RetentionPolicy {
  readonly keepDaily: number;
  readonly keepWeekly: number;
}

export interface RetentionPlan<T extends DatedBackup> {
  /** Newest first, each with the rules that keep it. */
  readonly keep: readonly { readonly backup: T; readonly reasons: readonly string[] }[];
  /** Newest first. */
  readonly remove: readonly T[];
}

export function planRetention<T extends DatedBackup>(backups: readonly T[], policy: RetentionPolicy): RetentionPlan<T> {
  for (const [name, value] of Object.entries(policy)) {
    if (!(Number.isInteger(value) && value >= 0)) throw new RangeError(`${name} must be a whole number ≥ 0, got ${value}`);
  }
  for (const b of backups) if (Number.isNaN(b.date.getTime())) throw new RangeError(`backup ${b.id} has an invalid date`);
  // Newest first; the id breaks ties so the plan does not depend on the input order.
  const sorted = [...backups].sort((a, b) => b.date.getTime() - a.date.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const reasons = new Map<T, string[]>();
  const apply = (rule: string, count: number, period: (d: Date) => string) => {
    const seen = new Set<string>();
    for (const backup of sorted) {
      if (seen.size >= count) break;
      const key = period(backup.date);
      if (seen.has(key)) continue;
      seen.add(key);
      const list = reasons.get(backup) ?? [];
      list.push(`${rule} ${key}`);
      reasons.set(backup, list);
    }
  };
  apply("daily", policy.keepDaily, (d) => d.toISOString().slice(0, 10));
  apply("weekly", policy.keepWeekly, isoWeek);
  return {
    keep: sorted.filter((b) => reasons.has(b)).map((backup) => ({ backup, reasons: reasons.get(backup)! })),
    remove: sorted.filter((b) => !reasons.has(b)),
  };
}

/** The ISO 8601 week of a UTC date: `2026-W49`. */
export function isoWeek(date: Date): string {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const weekday = day.getUTCDay() || 7; // Monday 1 … Sunday 7
  day.setUTCDate(day.getUTCDate() + 4 - weekday); // the Thursday of the week names its year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}
