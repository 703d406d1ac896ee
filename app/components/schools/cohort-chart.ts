// Chart.js, loaded only by the cohort page (dynamic import in CohortChart) and registered
// with just the pieces a stacked bar chart needs, so the rest of the library stays out of
// the bundle.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export interface CohortChartData {
  labels: string[];
  series: Array<{ key: string; label: string; color: string; values: number[] }>;
  axisLabel: string;
}

export function renderCohortChart(canvas: HTMLCanvasElement, data: CohortChartData) {
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
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: data.axisLabel } },
        y: {
          stacked: true,
          ticks: {
            callback(value) {
              const label = this.getLabelForValue(Number(value));
              return label.length > 24 ? `${label.slice(0, 23)}…` : label;
            },
          },
        },
      },
      plugins: { legend: { position: "bottom" }, tooltip: { mode: "index", intersect: false } },
    },
  });
}
