// The time zones offered in pickers: China's two clocks first, then the world. Any other
// IANA name is still accepted (and kept in the picker) when a user already has it.
import { offsetLabel } from "~/utils/datetime";
import { canonicalTimeZone } from "./tz";

export const COMMON_ZONES = [
  "Asia/Shanghai",
  "Asia/Urumqi",
  "Asia/Hong_Kong",
  "Asia/Taipei",
  "Asia/Tokyo",
  "Asia/Seoul",
  "Asia/Singapore",
  "Asia/Bangkok",
  "Asia/Jakarta",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Asia/Dhaka",
  "Asia/Almaty",
  "Asia/Tashkent",
  "Asia/Karachi",
  "Asia/Dubai",
  "Asia/Tehran",
  "Europe/Moscow",
  "Europe/Istanbul",
  "Africa/Cairo",
  "Africa/Nairobi",
  "Africa/Lagos",
  "Europe/Berlin",
  "Europe/Paris",
  "Europe/London",
  "UTC",
  "America/Sao_Paulo",
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Los_Angeles",
  "Australia/Sydney",
  "Pacific/Auckland",
] as const;

export interface ZoneOption {
  value: string;
  offset: string;
}

/** Picker options with their current offsets; `current` is included if it is not common. */
export function zoneOptions(current?: string | null, at: Date = new Date()): ZoneOption[] {
  const list: string[] = [...COMMON_ZONES];
  const c = canonicalTimeZone(current);
  if (c && !list.includes(c)) list.unshift(c);
  return list.map((value) => ({ value, offset: offsetLabel(value, at) }));
}
