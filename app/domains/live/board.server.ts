/**
 * The live whiteboard of a session (server/live, docs/decisions/024-live-whiteboard.md): the
 * database side. The board's state (open, blank page, current page, who may draw) lives on
 * the LiveSession row, its ops in LiveBoardOp, so a late joiner, a resumed peer, a socket on
 * another process and a restarted server all see the same board. Every function takes the
 * session id the socket joined (never one from the client); op ids of another session are
 * simply not found.
 */
import { Prisma } from "@prisma/client";
import { prisma } from "~/domains/db.server";
import { BOARD_LIMITS, BoardOpInputSchema, type BoardOp, type BoardOpInput, type BoardState } from "../../../server/live/protocol";

export { BOARD_LIMITS, type BoardOp, type BoardOpInput, type BoardState };

export class BoardError extends Error {
  constructor(
    readonly code: "not_found" | "bad_request" | "forbidden" | "limit",
    message: string,
  ) {
    super(message);
    this.name = "BoardError";
  }
}

const stateSelect = { boardOpen: true, boardBlank: true, boardPage: true, boardDrawers: true } as const;
type StateRow = { boardOpen: boolean; boardBlank: boolean; boardPage: number; boardDrawers: string[] };

function toState(row: StateRow): BoardState {
  return { open: row.boardOpen, blank: row.boardBlank, page: row.boardPage, drawers: row.boardDrawers };
}

type OpRow = { id: bigint; userId: string; page: number; data: Prisma.JsonValue };

/** A stored op as it travels; a row that no longer parses (never expected) is left out. */
function toOp(row: OpRow): BoardOp | null {
  const parsed = BoardOpInputSchema.safeParse(row.data);
  if (!parsed.success) return null;
  return { ...parsed.data, id: row.id.toString(), page: row.page, by: row.userId };
}

export async function boardState(sessionId: string): Promise<BoardState> {
  const row = await prisma.liveSession.findUnique({ where: { id: sessionId }, select: stateSelect });
  if (!row) throw new BoardError("not_found", "no such session");
  return toState(row);
}

/** Moderators: open / close the board, blank page or over the stage, the current page. */
export async function setBoardState(sessionId: string, patch: { open?: boolean; blank?: boolean; page?: number }): Promise<BoardState> {
  const row = await prisma.liveSession.update({
    where: { id: sessionId },
    data: {
      ...(patch.open !== undefined ? { boardOpen: patch.open } : {}),
      ...(patch.blank !== undefined ? { boardBlank: patch.blank } : {}),
      ...(patch.page !== undefined ? { boardPage: patch.page } : {}),
    },
    select: stateSelect,
  });
  return toState(row);
}

/** Moderators: allow or forbid `userId` to draw (at most BOARD_LIMITS.drawers people allowed). */
export async function setDrawer(sessionId: string, userId: string, allowed: boolean): Promise<BoardState> {
  return prisma.$transaction(async (tx) => {
    // Read-modify-write of the list under the session row's lock (two moderators at once).
    await tx.$queryRaw`SELECT id FROM "LiveSession" WHERE id = ${sessionId} FOR UPDATE`;
    const row = await tx.liveSession.findUniqueOrThrow({ where: { id: sessionId }, select: stateSelect });
    const drawers = new Set(row.boardDrawers);
    if (allowed) drawers.add(userId);
    else drawers.delete(userId);
    if (drawers.size > BOARD_LIMITS.drawers) throw new BoardError("limit", `at most ${BOARD_LIMITS.drawers} participants may draw`);
    const updated = await tx.liveSession.update({ where: { id: sessionId }, data: { boardDrawers: [...drawers] }, select: stateSelect });
    return toState(updated);
  });
}

/**
 * Stores one op of `userId` on `page`: the board must be open and the person a moderator
 * or allowed to draw (read from the database at every op, so a forbid takes effect at once,
 * on every process). At most BOARD_LIMITS.opsPerSession ops per session.
 */
export async function addBoardOp(sessionId: string, userId: string, moderator: boolean, page: number, op: BoardOpInput): Promise<BoardOp> {
  const row = await prisma.liveSession.findUnique({ where: { id: sessionId }, select: stateSelect });
  if (!row) throw new BoardError("not_found", "no such session");
  if (!moderator && !row.boardDrawers.includes(userId)) throw new BoardError("forbidden", "the host has not allowed you to draw");
  if (!row.boardOpen) throw new BoardError("bad_request", "the board is not open");
  const count = await prisma.liveBoardOp.count({ where: { sessionId } });
  if (count >= BOARD_LIMITS.opsPerSession) throw new BoardError("limit", `at most ${BOARD_LIMITS.opsPerSession} drawings per session`);
  const stored = await prisma.liveBoardOp.create({
    data: { sessionId, userId, page, data: op as unknown as Prisma.InputJsonValue },
    select: { id: true, userId: true, page: true, data: true },
  });
  const out = toOp(stored);
  if (!out) throw new Error("stored board op does not parse");
  return out;
}

/** Takes back `userId`'s most recent op still on the board; its id, or null when none is left. */
export async function undoBoardOp(sessionId: string, userId: string): Promise<string | null> {
  const rows = await prisma.$queryRaw<{ id: bigint }[]>`
    UPDATE "LiveBoardOp" SET "removedAt" = now()
    WHERE id = (
      SELECT id FROM "LiveBoardOp"
      WHERE "sessionId" = ${sessionId} AND "userId" = ${userId} AND "removedAt" IS NULL
      ORDER BY id DESC LIMIT 1 FOR UPDATE SKIP LOCKED
    )
    RETURNING id`;
  return rows[0] ? rows[0].id.toString() : null;
}

/** Moderators: wipes a page. */
export async function clearBoardPage(sessionId: string, page: number): Promise<number> {
  const { count } = await prisma.liveBoardOp.updateMany({ where: { sessionId, page, removedAt: null }, data: { removedAt: new Date() } });
  return count;
}

/** The ops on one page, oldest first (what a joiner draws). */
export async function boardOps(sessionId: string, page: number): Promise<BoardOp[]> {
  const rows = await prisma.liveBoardOp.findMany({
    where: { sessionId, page, removedAt: null },
    orderBy: { id: "asc" },
    select: { id: true, userId: true, page: true, data: true },
  });
  return rows.map(toOp).filter((o): o is BoardOp => o !== null);
}

/** Every page with something on it, in page order (the PDF). */
export async function boardPages(sessionId: string): Promise<{ page: number; ops: BoardOp[] }[]> {
  const rows = await prisma.liveBoardOp.findMany({
    where: { sessionId, removedAt: null },
    orderBy: [{ page: "asc" }, { id: "asc" }],
    select: { id: true, userId: true, page: true, data: true },
  });
  const pages = new Map<number, BoardOp[]>();
  for (const row of rows) {
    const op = toOp(row);
    if (!op) continue;
    const list = pages.get(op.page) ?? [];
    list.push(op);
    pages.set(op.page, list);
  }
  return [...pages.entries()].map(([page, ops]) => ({ page, ops }));
}

/** How many ops are on the board (all pages): the session page shows the download only then. */
export async function boardOpCount(sessionId: string): Promise<number> {
  return prisma.liveBoardOp.count({ where: { sessionId, removedAt: null } });
}
