// A day typed as ISO 8601 (YYYY-MM-DD), never the locale's date picker, which shows
// "11/01/2026" or "01.11.2026" depending on the machine (issue 18 point 4: ISO dates
// everywhere). The browser flags a value that does not have the form; isoDayValid says
// whether it is a real day.
import type { InputHTMLAttributes } from 'react';

/** Whether `day` is YYYY-MM-DD and a day that exists (2026-02-30 is not). */
export function isoDayValid(day: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return false;
  const t = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === day;
}

export function IsoDateInput(props: Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'pattern' | 'placeholder' | 'inputMode'>) {
  return (
    <input
      {...props}
      type="text"
      inputMode="numeric"
      pattern="\d{4}-\d{2}-\d{2}"
      placeholder="YYYY-MM-DD"
      title="An ISO 8601 date, YYYY-MM-DD"
      autoComplete="off"
    />
  );
}
