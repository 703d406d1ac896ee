import { useRouteLoaderData } from "@remix-run/react";
import type { RootData } from "~/root";
import { DEFAULT_TIME_ZONE } from "./datetime";

/** Locale, time zone and user of the current page (from the root loader). */
export function useRootData() {
  const root = useRouteLoaderData("root") as RootData | undefined;
  return {
    locale: root?.locale ?? "zh-CN",
    user: root?.user ?? null,
    timeZone: root?.user?.timeZone ?? DEFAULT_TIME_ZONE,
  };
}
