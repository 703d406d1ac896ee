// The cohort's progress chart. The server renders the accessible table next to it; the chart
// (Chart.js, fetched only by this page, after hydration) is an enhancement on top.
import { useEffect, useRef, useState } from "react";
import type { CohortChartData } from "./cohort-chart";

export function CohortChart({ data, summary }: { data: CohortChartData; summary: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [ready, setReady] = useState(false);
  const json = JSON.stringify(data);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    import("./cohort-chart").then(({ renderCohortChart }) => {
      if (cancelled || !canvas.current) return;
      chart = renderCohortChart(canvas.current, JSON.parse(json) as CohortChartData);
      setReady(true);
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [json]);
  const height = 90 + data.labels.length * 56;
  return (
    <div className="relative w-full" style={{ height }} data-testid="cohort-chart" data-ready={ready ? "true" : "false"}>
      <canvas ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
