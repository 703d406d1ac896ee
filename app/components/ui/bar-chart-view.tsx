// A bar chart. The server renders the accessible table next to it; the chart (Chart.js,
// fetched only by the pages that use it, after hydration) is an enhancement on top.
import { useEffect, useRef, useState } from "react";
import type { BarChartData } from "./bar-chart";

export function BarChart({ data, summary, testId = "bar-chart", height }: { data: BarChartData; summary: string; testId?: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [ready, setReady] = useState(false);
  const json = JSON.stringify(data);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let cancelled = false;
    import("./bar-chart").then(({ renderBarChart }) => {
      if (cancelled || !canvas.current) return;
      chart = renderBarChart(canvas.current, JSON.parse(json) as BarChartData);
      setReady(true);
    });
    return () => {
      cancelled = true;
      chart?.destroy();
    };
  }, [json]);
  const h = height ?? (data.vertical ? 280 : 90 + data.labels.length * 56);
  return (
    <div className="relative w-full" style={{ height: h }} data-testid={testId} data-ready={ready ? "true" : "false"}>
      <canvas ref={canvas} role="img" aria-label={summary}>
        {summary}
      </canvas>
    </div>
  );
}
