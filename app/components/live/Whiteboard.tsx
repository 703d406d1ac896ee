/**
 * The live whiteboard (docs/decisions/024-live-whiteboard.md): a canvas over the stage
 * (transparent over a screen share, or a white page) and its toolbar. Loaded by the room
 * only when the host opens the board (React.lazy), so the room's first load stays small.
 *
 * The surface is drawn into the stage element (a portal) so it covers the video exactly;
 * the toolbar sits under the stage. Pointer events (mouse, pen, touch; `touch-action: none`
 * while drawing), keyboard shortcuts P / S / T / L / Ctrl+Z, and every tool is a button with
 * aria-pressed. The geometry is board.ts's, the same the PDF export uses.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { Button, ConfirmButton } from "~/components/ui/forms";
import { Icon, type IconName } from "~/components/ui/icon";
import { BOARD_ASPECT, BOARD_COLORS, BOARD_LIMITS, primitives, quantise, simplifyStroke, sortOps, type BoardOpInput, type BoardShape, type Primitive } from "~/domains/live/board";
import type { BoardState, LiveRoomHandle } from "~/domains/live/room-client";

type Tool = "pen" | "shape" | "text" | "laser";
const SHAPES: BoardShape[] = ["line", "rect", "ellipse", "arrow"];
const LASER_MS = 1_500;
const TOOLS: { tool: Tool; icon: IconName; key: string }[] = [
  { tool: "pen", icon: "pen", key: "p" },
  { tool: "shape", icon: "shapes", key: "s" },
  { tool: "text", icon: "text", key: "t" },
  { tool: "laser", icon: "laser", key: "l" },
];

interface Draft {
  tool: "pen" | "shape";
  points: number[];
}

function paint(ctx: CanvasRenderingContext2D, list: Primitive[]) {
  for (const p of list) {
    if (p.type === "text") {
      ctx.fillStyle = p.color;
      ctx.font = `${p.size}px system-ui, "Noto Sans CJK SC", sans-serif`;
      ctx.textBaseline = "top";
      ctx.fillText(p.text, p.x, p.y);
      continue;
    }
    ctx.strokeStyle = p.color;
    ctx.lineWidth = p.width;
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    ctx.beginPath();
    if (p.type === "polyline") {
      ctx.moveTo(p.points[0]!, p.points[1]!);
      for (let i = 2; i + 1 < p.points.length; i += 2) ctx.lineTo(p.points[i]!, p.points[i + 1]!);
    } else if (p.type === "rect") {
      ctx.rect(p.x, p.y, p.w, p.h);
    } else {
      ctx.ellipse(p.cx, p.cy, Math.max(p.rx, 0.1), Math.max(p.ry, 0.1), 0, 0, Math.PI * 2);
    }
    ctx.stroke();
  }
}

/** A row of small pressed/unpressed choices (colours, widths): `names[i]` labels choice i. */
function Swatches({
  label,
  names,
  value,
  onChange,
  className,
  render,
}: {
  label: string;
  names: string[];
  value: number;
  onChange: (i: number) => void;
  className: string;
  render: (i: number) => { style?: React.CSSProperties; children?: React.ReactNode };
}) {
  return (
    <span className="flex items-center gap-1" role="group" aria-label={label}>
      {names.map((name, i) => {
        const { style, children } = render(i);
        return (
          <button
            key={name}
            type="button"
            aria-pressed={value === i}
            aria-label={name}
            title={name}
            onClick={() => onChange(i)}
            className={"h-7 w-7 ring-1 ring-slate-300 " + className + (value === i ? " outline outline-2 outline-offset-2 outline-brand-600" : "")}
            style={style}
          >
            {children}
          </button>
        );
      })}
    </span>
  );
}

export default function Whiteboard({
  handle,
  board,
  stage,
  isModerator,
  userId,
  names,
  act,
}: {
  handle: LiveRoomHandle;
  board: BoardState;
  /** The stage element the surface covers. */
  stage: HTMLElement | null;
  isModerator: boolean;
  userId: string;
  /** user id → name (laser pointer labels). */
  names: Map<string, string>;
  act: (fn: () => Promise<void>) => void;
}) {
  const { t } = useTranslation("live");
  const canDraw = isModerator || board.drawers.includes(userId);
  const [tool, setTool] = useState<Tool>("pen");
  const [shape, setShape] = useState<BoardShape>("rect");
  const [color, setColor] = useState(0);
  const [width, setWidth] = useState(1);
  const [text, setText] = useState("");
  const [textAt, setTextAt] = useState<[number, number] | null>(null);
  const [opCount, setOpCount] = useState(0);
  const [lasers, setLasers] = useState<Record<string, { x: number; y: number; at: number }>>({});
  const [box, setBox] = useState({ w: 0, h: 0 });
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const textRef = useRef<HTMLInputElement>(null);
  const draft = useRef<Draft | null>(null);
  const pending = useRef<Draft[]>([]);
  const stagger = useRef(0);

  // The 16:9 box inside the stage (the stage may be capped in height).
  useEffect(() => {
    if (!stage) return;
    const fit = () => {
      const { width: sw, height: sh } = stage.getBoundingClientRect();
      const w = Math.min(sw, sh * BOARD_ASPECT);
      setBox({ w: Math.floor(w), h: Math.floor(w / BOARD_ASPECT) });
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(stage);
    return () => observer.disconnect();
  }, [stage]);

  const redraw = useCallback(() => {
    const canvas = canvasRef.current;
    const ctx = canvas?.getContext("2d");
    if (!canvas || !ctx || !box.w) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(box.w * dpr)) canvas.width = Math.round(box.w * dpr);
    if (canvas.height !== Math.round(box.h * dpr)) canvas.height = Math.round(box.h * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, box.w, box.h);
    const ops = sortOps(handle.board.ops());
    for (const op of ops) paint(ctx, primitives(op, box.w, box.h));
    for (const d of [...pending.current, ...(draft.current ? [draft.current] : [])]) {
      const op = draftOp(d);
      if (op) paint(ctx, primitives(op, box.w, box.h));
    }
    setOpCount(ops.length);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [handle, box, color, width, shape]);

  const draftOp = (d: Draft): BoardOpInput | null => {
    if (d.tool === "pen") return d.points.length >= 2 ? { kind: "stroke", color, width, points: d.points.length === 2 ? [...d.points, ...d.points] : d.points } : null;
    if (d.points.length < 4) return null;
    return { kind: "shape", shape, color, width, points: [d.points[0]!, d.points[1]!, d.points[d.points.length - 2]!, d.points[d.points.length - 1]!] };
  };

  useEffect(() => {
    redraw();
    return handle.board.subscribe((event) => {
      if (event.type === "ops") redraw();
      else setLasers((all) => ({ ...all, [event.by]: { x: event.x, y: event.y, at: Date.now() } }));
    });
  }, [handle, redraw]);

  // Laser pointers fade after LASER_MS without news.
  useEffect(() => {
    if (!Object.keys(lasers).length) return;
    const timer = setTimeout(() => {
      const now = Date.now();
      setLasers((all) => Object.fromEntries(Object.entries(all).filter(([, l]) => now - l.at < LASER_MS)));
    }, 500);
    return () => clearTimeout(timer);
  }, [lasers]);

  const send = useCallback(
    (op: BoardOpInput, d?: Draft) => {
      if (d) pending.current.push(d);
      act(() =>
        handle.board.draw(op).finally(() => {
          if (d) pending.current = pending.current.filter((x) => x !== d);
          redraw();
        }),
      );
    },
    [act, handle, redraw],
  );

  const placeText = useCallback(
    (at: [number, number] | null) => {
      const value = text.trim();
      if (!value) {
        setTextAt(at);
        textRef.current?.focus();
        return;
      }
      let where = at;
      if (!where) {
        // No place chosen (keyboard): one line below the other, from the top left.
        const row = stagger.current++ % 12;
        where = [quantise(0.05), quantise(0.06 + row * 0.075)];
      }
      send({ kind: "text", color, size: 1, points: where, text: value.slice(0, BOARD_LIMITS.textChars) });
      setText("");
      setTextAt(null);
    },
    [text, color, send],
  );

  const undo = useCallback(() => act(() => handle.board.undo()), [act, handle]);

  // Keyboard shortcuts (not while typing in a field).
  useEffect(() => {
    if (!canDraw) return;
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA" || target.tagName === "SELECT" || target.isContentEditable)) return;
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === "z") {
        e.preventDefault();
        undo();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const key = e.key.toLowerCase();
      const found = TOOLS.find((x) => x.key === key);
      if (!found) return;
      e.preventDefault();
      if (found.tool === "shape" && tool === "shape") setShape((s) => SHAPES[(SHAPES.indexOf(s) + 1) % SHAPES.length]!);
      setTool(found.tool);
      if (found.tool === "text") setTimeout(() => textRef.current?.focus(), 0);
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [canDraw, tool, undo]);

  const at = (e: React.PointerEvent): [number, number] => {
    const r = e.currentTarget.getBoundingClientRect();
    return [quantise((e.clientX - r.left) / r.width), quantise((e.clientY - r.top) / r.height)];
  };

  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!canDraw || (e.pointerType === "mouse" && e.button !== 0)) return;
    const p = at(e);
    if (tool === "text") {
      placeText(p);
      return;
    }
    if (tool === "laser") {
      handle.board.laser(p[0], p[1]);
      return;
    }
    e.currentTarget.setPointerCapture(e.pointerId);
    draft.current = { tool, points: p };
    redraw();
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!canDraw) return;
    const p = at(e);
    if (tool === "laser") {
      handle.board.laser(p[0], p[1]);
      setLasers((all) => ({ ...all, [userId]: { x: p[0], y: p[1], at: Date.now() } }));
      return;
    }
    const d = draft.current;
    if (!d) return;
    if (d.tool === "pen") {
      if (d.points.length < BOARD_LIMITS.points * 8) d.points.push(p[0], p[1]);
    } else {
      d.points = [d.points[0]!, d.points[1]!, p[0], p[1]];
    }
    redraw();
  };
  const onPointerUp = () => {
    const d = draft.current;
    draft.current = null;
    if (!d) return;
    if (d.tool === "pen") {
      const points = simplifyStroke(d.points);
      const done = { tool: "pen" as const, points };
      send({ kind: "stroke", color, width, points }, done);
    } else if (d.points.length === 4 && (d.points[0] !== d.points[2] || d.points[1] !== d.points[3])) {
      send({ kind: "shape", shape, color, width, points: d.points }, d);
    } else {
      redraw();
    }
  };

  const surface = (
    <div className="pointer-events-none absolute inset-0 z-10 flex items-center justify-center" data-testid="board-layer">
      <div
        className={"pointer-events-auto relative " + (board.blank ? "bg-white" : "")}
        style={{ width: box.w, height: box.h }}
        data-testid="board-surface"
        data-ops={opCount}
        data-page={board.page}
        data-blank={board.blank ? "true" : "false"}
      >
        <canvas
          ref={canvasRef}
          className="absolute inset-0 h-full w-full"
          style={{ touchAction: canDraw ? "none" : "auto", cursor: canDraw ? (tool === "text" ? "text" : "crosshair") : "default" }}
          role="img"
          aria-label={t("board.canvasLabel", { page: board.page + 1 })}
          data-testid="board-canvas"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={onPointerUp}
        />
        {Object.entries(lasers).map(([by, l]) => (
          <span
            key={by}
            className="pointer-events-none absolute flex items-center gap-1"
            style={{ left: `${(l.x / BOARD_LIMITS.coord) * 100}%`, top: `${(l.y / BOARD_LIMITS.coord) * 100}%`, transform: "translate(-6px, -6px)" }}
            data-testid="board-laser"
          >
            <span className="h-3 w-3 rounded-full bg-red-500 shadow-[0_0_8px_3px_rgba(239,68,68,0.7)]" />
            <span className="rounded bg-black/60 px-1 text-xs text-white">{by === userId ? "" : (names.get(by) ?? "")}</span>
          </span>
        ))}
        {textAt && tool === "text" ? (
          <span
            className="pointer-events-none absolute h-5 w-0.5 animate-pulse bg-brand-600"
            style={{ left: `${(textAt[0] / BOARD_LIMITS.coord) * 100}%`, top: `${(textAt[1] / BOARD_LIMITS.coord) * 100}%` }}
          />
        ) : null}
      </div>
    </div>
  );

  const pressed = (on: boolean) => (on ? "!bg-brand-600 !text-white" : "");
  const small = "!px-2.5 !py-1.5 text-sm";

  return (
    <>
      {stage ? createPortal(surface, stage) : null}
      <div className="mt-2 rounded-xl bg-white p-2 shadow ring-1 ring-slate-200" data-testid="board-toolbar">
        <div className="flex flex-wrap items-center gap-1.5" role="toolbar" aria-label={t("board.tools")}>
          {canDraw ? (
            <>
              {TOOLS.map(({ tool: id, icon }) => (
                <Button
                  key={id}
                  type="button"
                  variant="secondary"
                  className={small + " " + pressed(tool === id)}
                  aria-pressed={tool === id}
                  data-testid={`board-tool-${id}`}
                  onClick={() => setTool(id)}
                  title={t(`board.${id}`)}
                >
                  <Icon name={icon} />
                  <span className="sr-only sm:not-sr-only">{t(`board.${id}`)}</span>
                </Button>
              ))}
              <Button type="button" variant="secondary" className={small} onClick={undo} data-testid="board-undo" title={t("board.undo")}>
                <Icon name="undo" />
                <span className="sr-only sm:not-sr-only">{t("board.undo")}</span>
              </Button>
            </>
          ) : (
            <p className="px-1 text-sm text-slate-600" data-testid="board-view-only">{t("board.viewOnly")}</p>
          )}
          {isModerator ? (
            <span className="ml-auto flex flex-wrap items-center gap-1.5">
              <Button type="button" variant="secondary" className={small} aria-pressed={board.blank} data-testid="board-blank" onClick={() => act(() => handle.host.setBoard({ blank: !board.blank }))}>
                {board.blank ? t("board.overlay") : t("board.blank")}
              </Button>
              <Button type="button" variant="secondary" className={small} disabled={board.page === 0} aria-label={t("board.prevPage")} data-testid="board-prev" onClick={() => act(() => handle.host.setBoard({ page: board.page - 1 }))}>
                <Icon name="left" />
              </Button>
              <span className="text-sm tabular-nums" data-testid="board-page">{t("board.page", { page: board.page + 1 })}</span>
              <Button type="button" variant="secondary" className={small} disabled={board.page >= BOARD_LIMITS.pages - 1} aria-label={t("board.nextPage")} data-testid="board-next" onClick={() => act(() => handle.host.setBoard({ page: board.page + 1 }))}>
                <Icon name="right" />
              </Button>
              <form
                onSubmit={(e) => {
                  e.preventDefault();
                  (e.currentTarget.querySelector("details") as HTMLDetailsElement | null)?.removeAttribute("open");
                  act(() => handle.host.clearBoardPage(board.page));
                }}
              >
                <ConfirmButton small label={<><Icon name="eraser" /> {t("board.clear")}</>} question={t("board.clearQuestion")} confirmLabel={t("board.clearYes")} value="clear" />
              </form>
              <Button type="button" variant="secondary" className={small} data-testid="board-close" onClick={() => act(() => handle.host.setBoard({ open: false }))}>
                <Icon name="close" /> {t("board.close")}
              </Button>
            </span>
          ) : (
            <span className="ml-auto text-sm text-slate-600">{t("board.page", { page: board.page + 1 })}</span>
          )}
        </div>
        {canDraw ? (
          <div className="mt-2 flex flex-wrap items-center gap-3">
            {tool === "shape" ? (
              <span className="flex gap-1" role="group" aria-label={t("board.shape")}>
                {SHAPES.map((s) => (
                  <Button key={s} type="button" variant="secondary" className={small + " " + pressed(shape === s)} aria-pressed={shape === s} data-testid={`board-shape-${s}`} onClick={() => setShape(s)}>
                    {t(`board.shapes.${s}`)}
                  </Button>
                ))}
              </span>
            ) : null}
            {tool !== "laser" ? (
              <Swatches
                label={t("board.color")}
                names={t("board.colors", { returnObjects: true }) as string[]}
                value={color}
                onChange={setColor}
                className="rounded-full"
                render={(i) => ({ style: { backgroundColor: BOARD_COLORS[i] } })}
              />
            ) : null}
            {tool === "pen" || tool === "shape" ? (
              <Swatches
                label={t("board.width")}
                names={t("board.widths", { returnObjects: true }) as string[]}
                value={width}
                onChange={setWidth}
                className="flex items-center justify-center rounded-md bg-white"
                render={(i) => ({ children: <span className="rounded-full bg-slate-800" style={{ width: 3 + i * 3, height: 3 + i * 3 }} /> })}
              />
            ) : null}
            {tool === "text" ? (
              <form
                className="flex min-w-0 flex-1 items-center gap-2"
                onSubmit={(e) => {
                  e.preventDefault();
                  placeText(textAt);
                }}
              >
                <label htmlFor="board-text" className="sr-only">{t("board.textLabel")}</label>
                <input
                  id="board-text"
                  ref={textRef}
                  value={text}
                  maxLength={BOARD_LIMITS.textChars}
                  onChange={(e) => setText(e.target.value)}
                  placeholder={t("board.textHint")}
                  data-testid="board-text-input"
                  className="min-w-0 flex-1 rounded-md border border-slate-300 px-3 py-1.5 text-sm"
                />
                <Button type="submit" className={small} data-testid="board-text-add" disabled={!text.trim()}>
                  {t("board.addText")}
                </Button>
              </form>
            ) : null}
          </div>
        ) : null}
        {canDraw ? <p className="mt-1 hidden text-xs text-slate-500 sm:block">{t("board.shortcuts")}</p> : null}
      </div>
    </>
  );
}
