/**
 * Whiteboard limits and palettes (docs/decisions/024-live-whiteboard.md), without zod so the
 * room's board code can import them; protocol.ts builds its schemas from them and re-exports them.
 */
export const BOARD_LIMITS = { coord: 4095, points: 400, textChars: 200, pages: 20, opsPerSession: 5000, drawers: 50 } as const;
/** Pen / shape / text colours (the index is what travels). */
export const BOARD_COLORS = ["#111827", "#dc2626", "#2563eb", "#16a34a", "#f59e0b", "#ffffff"] as const;
/** Line widths, in thousandths of the board's width. */
export const BOARD_WIDTHS = [2, 4, 8, 16] as const;
/** Text heights, in thousandths of the board's height. */
export const BOARD_TEXT_SIZES = [35, 50, 75, 110] as const;
export const BOARD_SHAPES = ["line", "rect", "ellipse", "arrow"] as const;
export type BoardShape = (typeof BOARD_SHAPES)[number];

