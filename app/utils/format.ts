// Formatting shared by server and browser. Dates take an explicit time zone so the server
// render and the hydrated page agree.
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

export function formatDate(value: string | Date, locale: string, timeZone = DEFAULT_TIME_ZONE) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeZone }).format(new Date(value));
}

export function formatDateTime(value: string | Date, locale: string, timeZone = DEFAULT_TIME_ZONE) {
  return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value));
}

export function formatBytes(bytes: number) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
