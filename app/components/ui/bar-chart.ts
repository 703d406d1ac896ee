// Chart.js, loaded only by the pages that draw a chart (dynamic import in BarChart) and
// registered with just the pieces a bar chart needs, so the rest of the library stays out of
// the bundle.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface BarChartData {
  labels: string[];
  series: Array<{ key: string; label: string; color: string; values: number[] }>;
  axisLabel: string;
  /** Bars along the x axis (one per label) instead of the default horizontal rows. */
  vertical?: boolean;
  /** Series side by side instead of stacked. */
  grouped?: boolean;
}

export function renderBarChart(canvas: HTMLCanvasElement, data: BarChartData) {
  const stacked = !data.grouped;
  const value = { stacked, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.axisLabel } };
  const category = {
    stacked,
    ticks: {
      callback(this: { getLabelForValue(v: number): string }, v: string | number) {
        const label = this.getLabelForValue(Number(v));
        return label.length > 24 ? `${label.slice(0, 23)}…` : label;
      },
    },
  };
  return new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: data.series.map((s) => ({
        label: s.label,
        data: s.values,
        backgroundColor: s.color,
        borderWidth: 0,
        barPercentage: 0.7,
        categoryPercentage: 0.9,
      })),
    },
    options: {
      indexAxis: data.vertical ? "x" : "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: data.vertical ? { x: category, y: value } : { x: value, y: category },
      plugins: { legend: { position: "bottom" }, tooltip: { mode: "index", intersect: false } },
    },
  });
}
