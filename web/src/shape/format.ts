// Number and time formatting shared by the pages.

/** Compact number: 4 significant digits, exponent form for very small or large magnitudes. */
export function fmt(v: unknown, digits = 4): string {
  if (v === null || v === undefined) return '–';
  if (typeof v !== 'number') return Array.isArray(v) ? v.join('×') : String(v);
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v) && Math.abs(v) < 1e6) return String(v);
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(Math.max(0, digits - 2));
  return String(Number(v.toPrecision(digits)));
}

/** "2026-11-22 03:10" in the browser's zone; '–' for missing times. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** Seconds since `iso` relative to `now`, as "12 s ago" / "3 min ago". */
export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '–';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}
