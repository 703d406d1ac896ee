// The whiteboard's shared geometry (app/domains/live/board.ts): quantising, stroke
// simplification and its caps, primitives for the canvas and the PDF.
import { describe, expect, it } from "vitest";
import { BOARD_LIMITS, primitives, quantise, simplifyStroke, sortOps } from "~/domains/live/board";
import { requestSchemas } from "../../server/live/protocol";

/** A hand-drawn-like wavy stroke of `n` pointer samples across the board. */
function wavy(n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(quantise(0.05 + (0.9 * i) / n), quantise(0.5 + 0.2 * Math.sin(i / 15)));
  return out;
}

describe("whiteboard geometry", () => {
  it("quantises fractions to 0..4095 and clamps", () => {
    expect(quantise(0)).toBe(0);
    expect(quantise(1)).toBe(BOARD_LIMITS.coord);
    expect(quantise(0.5)).toBe(2048);
    expect(quantise(-3)).toBe(0);
    expect(quantise(7)).toBe(BOARD_LIMITS.coord);
    expect(quantise(Number.NaN)).toBe(0);
  });

  it("simplifies a 300-sample stroke across the whole board (three waves) to ≈ 600 bytes that the server accepts", () => {
    const points = simplifyStroke(wavy(300));
    expect(points.length / 2).toBeLessThanOrEqual(60);
    const payload = { page: 0, op: { kind: "stroke", color: 0, width: 1, points } };
    expect(requestSchemas["board:draw"].safeParse(payload).success).toBe(true);
    const bytes = JSON.stringify(payload).length;
    console.log(`300 pointer samples → ${points.length / 2} points, ${bytes} bytes on the wire`);
    expect(bytes).toBeLessThan(700);
  });

  it("caps a very long scribble at 400 points; a tap becomes a dot", () => {
    const scribble: number[] = [];
    for (let i = 0; i < 5000; i++) scribble.push((i * 977) % 4096, (i * 613) % 4096);
    const points = simplifyStroke(scribble);
    expect(points.length / 2).toBeLessThanOrEqual(BOARD_LIMITS.points);
    expect(requestSchemas["board:draw"].safeParse({ page: 0, op: { kind: "stroke", color: 0, width: 0, points } }).success).toBe(true);
    expect(simplifyStroke([10, 20, 10, 20, 10, 20])).toEqual([10, 20, 10, 20]);
  });

  it("turns ops into primitives at the board's size", () => {
    const [rect] = primitives({ kind: "shape", shape: "rect", color: 1, width: 0, points: [4095, 4095, 0, 0] }, 800, 450);
    expect(rect).toMatchObject({ type: "rect", x: 0, y: 0, w: 800, h: 450, color: "#dc2626" });
    expect(primitives({ kind: "shape", shape: "arrow", color: 0, width: 1, points: [0, 0, 4095, 0] }, 800, 450)).toHaveLength(2);
    const [text] = primitives({ kind: "text", color: 2, size: 0, points: [2048, 0], text: "根部" }, 1000, 1000);
    expect(text).toMatchObject({ type: "text", text: "根部", size: 35 });
    expect(sortOps([{ id: "10" }, { id: "9" }, { id: "100" }]).map((o) => o.id)).toEqual(["9", "10", "100"]);
  });
});
