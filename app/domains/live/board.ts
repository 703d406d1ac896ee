/**
 * The whiteboard's geometry, shared by the room (canvas, app/components/live/Whiteboard.tsx)
 * and the PDF export (board-pdf.server.ts): quantising pointer positions, simplifying strokes
 * and turning an op into drawing primitives for a board of W × H units. Pure; the protocol
 * is imported as types and constants only (no zod reaches the browser through it).
 */
import type { BoardOp, BoardOpInput, BoardShape } from "../../../server/live/protocol";
import { BOARD_COLORS, BOARD_LIMITS, BOARD_TEXT_SIZES, BOARD_WIDTHS } from "../../../server/live/board-constants";

export { BOARD_COLORS, BOARD_LIMITS, BOARD_TEXT_SIZES, BOARD_WIDTHS };
export type { BoardOp, BoardOpInput, BoardShape };

/** The board's aspect ratio (the stage's). */
export const BOARD_ASPECT = 16 / 9;
const Q = BOARD_LIMITS.coord;

/** A fraction of the board (0..1, clamped) as the integer that travels (0..4095). */
export function quantise(fraction: number): number {
  if (!Number.isFinite(fraction)) return 0;
  return Math.round(Math.min(1, Math.max(0, fraction)) * Q);
}

/** Ramer–Douglas–Peucker on flat x, y pairs (tolerance in board units). */
function rdp(points: number[], tolerance: number): number[] {
  const n = points.length / 2;
  if (n <= 2) return points.slice();
  const keep = new Uint8Array(n);
  keep[0] = 1;
  keep[n - 1] = 1;
  const stack: [number, number][] = [[0, n - 1]];
  while (stack.length) {
    const [a, b] = stack.pop()!;
    const ax = points[a * 2]!, ay = points[a * 2 + 1]!, bx = points[b * 2]!, by = points[b * 2 + 1]!;
    const dx = bx - ax, dy = by - ay;
    const len = Math.hypot(dx, dy);
    let worst = -1, index = -1;
    for (let i = a + 1; i < b; i++) {
      const px = points[i * 2]!, py = points[i * 2 + 1]!;
      const d = len === 0 ? Math.hypot(px - ax, py - ay) : Math.abs(dy * px - dx * py + bx * ay - by * ax) / len;
      if (d > worst) {
        worst = d;
        index = i;
      }
    }
    if (worst > tolerance && index > 0) {
      keep[index] = 1;
      stack.push([a, index], [index, b]);
    }
  }
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i * 2]!, points[i * 2 + 1]!);
  return out;
}

/**
 * A stroke's points (flat, quantised) made small enough to send: consecutive duplicates
 * dropped, simplified (RDP, 6 units ≈ 0.15 % of the board, more if still too long), at most
 * BOARD_LIMITS.points points. A single tap becomes a dot (two equal points).
 */
export function simplifyStroke(points: number[]): number[] {
  const dedup: number[] = [];
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i]!, y = points[i + 1]!;
    if (dedup.length && dedup[dedup.length - 2] === x && dedup[dedup.length - 1] === y) continue;
    dedup.push(x, y);
  }
  if (dedup.length === 2) return [dedup[0]!, dedup[1]!, dedup[0]!, dedup[1]!];
  let tolerance = 6;
  let out = rdp(dedup, tolerance);
  while (out.length > BOARD_LIMITS.points * 2) {
    tolerance *= 2;
    out = rdp(dedup, tolerance);
  }
  return out;
}

export type Primitive =
  | { type: "polyline"; points: number[]; color: string; width: number }
  | { type: "rect"; x: number; y: number; w: number; h: number; color: string; width: number }
  | { type: "ellipse"; cx: number; cy: number; rx: number; ry: number; color: string; width: number }
  | { type: "text"; x: number; y: number; size: number; text: string; color: string };

/** What to draw for one op on a board of `w` × `h` (pixels, points…). */
export function primitives(op: BoardOpInput, w: number, h: number): Primitive[] {
  const sx = (v: number) => (v / Q) * w;
  const sy = (v: number) => (v / Q) * h;
  const color = BOARD_COLORS[op.color] ?? BOARD_COLORS[0];
  if (op.kind === "text") {
    const size = ((BOARD_TEXT_SIZES[op.size] ?? BOARD_TEXT_SIZES[0]) / 1000) * h;
    return [{ type: "text", x: sx(op.points[0]!), y: sy(op.points[1]!), size, text: op.text, color }];
  }
  const width = Math.max(1, ((BOARD_WIDTHS[op.width] ?? BOARD_WIDTHS[0]) / 1000) * w);
  const pts = op.points.map((v, i) => (i % 2 === 0 ? sx(v) : sy(v)));
  if (op.kind === "stroke") return [{ type: "polyline", points: pts, color, width }];
  const [x1, y1, x2, y2] = pts as [number, number, number, number];
  switch (op.shape) {
    case "rect":
      return [{ type: "rect", x: Math.min(x1, x2), y: Math.min(y1, y2), w: Math.abs(x2 - x1), h: Math.abs(y2 - y1), color, width }];
    case "ellipse":
      return [{ type: "ellipse", cx: (x1 + x2) / 2, cy: (y1 + y2) / 2, rx: Math.abs(x2 - x1) / 2, ry: Math.abs(y2 - y1) / 2, color, width }];
    case "arrow": {
      const angle = Math.atan2(y2 - y1, x2 - x1);
      const head = Math.max(width * 4, w * 0.02);
      const wing = (a: number) => [x2 - head * Math.cos(angle + a), y2 - head * Math.sin(angle + a)];
      return [
        { type: "polyline", points: [x1, y1, x2, y2], color, width },
        { type: "polyline", points: [...wing(0.45), x2, y2, ...wing(-0.45)], color, width },
      ];
    }
    default:
      return [{ type: "polyline", points: [x1, y1, x2, y2], color, width }];
  }
}

/** Ops in board order (server ids are increasing integers). */
export function sortOps<T extends { id: string }>(ops: T[]): T[] {
  return [...ops].sort((a, b) => Number(a.id) - Number(b.id));
}
