// The room client's side of the whiteboard: the board's state (in the page's snapshot) and
// the ops of the page being shown (NOT in the snapshot: a stroke redraws the canvas, not
// the room). The Whiteboard component subscribes to ops and laser pointers.
import type { BoardOp, BoardOpInput, BoardState, NotificationPayload, RequestName, RequestPayload, ResponseMap } from "../../../../server/live/protocol";
import type { BoardEvent, BoardHandle } from "./types";

type Requester = <E extends RequestName>(event: E, payload: RequestPayload<E>) => Promise<ResponseMap[E]>;

export const CLOSED_BOARD: BoardState = { open: false, blank: true, page: 0, drawers: [] };

export class BoardChannel {
  state: BoardState = CLOSED_BOARD;
  private ops = new Map<string, BoardOp>();
  private readonly listeners = new Set<(event: BoardEvent) => void>();
  private lastLaser = 0;

  constructor(
    private readonly request: Requester,
    /** The snapshot changed (board state). */
    private readonly changed: () => void,
  ) {}

  /** room:join (also after a resume): the board as the server has it now. */
  joined(board: { state: BoardState; ops: BoardOp[] }): void {
    this.state = board.state;
    this.ops = new Map(board.ops.map((op) => [op.id, op]));
    this.fire({ type: "ops" });
  }

  onOp({ op }: NotificationPayload<"board:op">): void {
    if (op.page !== this.state.page) return;
    this.ops.set(op.id, op as BoardOp);
    this.fire({ type: "ops" });
  }

  onRemoved({ opIds }: NotificationPayload<"board:removed">): void {
    let any = false;
    for (const id of opIds) any = this.ops.delete(id) || any;
    if (any) this.fire({ type: "ops" });
  }

  onCleared({ page }: NotificationPayload<"board:cleared">): void {
    if (page !== this.state.page) return;
    this.ops.clear();
    this.fire({ type: "ops" });
  }

  onState({ state }: NotificationPayload<"board:state">): void {
    const before = this.state;
    this.state = state;
    this.changed();
    if (state.open && (!before.open || before.page !== state.page)) void this.loadPage(state.page);
  }

  onLaser({ by, x, y }: NotificationPayload<"board:laser">): void {
    this.fire({ type: "laser", by, x, y });
  }

  /** The ops of `page` from the server, with what arrived meanwhile. */
  private async loadPage(page: number): Promise<void> {
    if (this.ops.size && [...this.ops.values()].some((op) => op.page !== page)) this.ops.clear();
    this.fire({ type: "ops" });
    const held = new Set(this.ops.keys());
    try {
      const { ops } = await this.request("board:page", { page });
      if (this.state.page !== page) return;
      // The server's page, plus what arrived while we asked; what we held before and the
      // answer lacks was taken back meanwhile.
      const arrived = [...this.ops.values()].filter((op) => op.page === page && !held.has(op.id));
      this.ops = new Map([...ops, ...arrived].map((op) => [op.id, op]));
      this.fire({ type: "ops" });
    } catch (error) {
      console.warn("[live] loading the board page failed:", error);
    }
  }

  private fire(event: BoardEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.warn("[live] board listener failed:", error);
      }
    }
  }

  handle(): BoardHandle {
    return {
      ops: () => [...this.ops.values()],
      subscribe: (listener) => {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
      },
      draw: async (op: BoardOpInput) => {
        const page = this.state.page;
        const { op: stored } = await this.request("board:draw", { page, op });
        if (stored.page === this.state.page) {
          this.ops.set(stored.id, stored);
          this.fire({ type: "ops" });
        }
      },
      laser: (x, y) => {
        // At most 10 a second, and never waiting for the answer.
        const now = Date.now();
        if (now - this.lastLaser < 100) return;
        this.lastLaser = now;
        this.request("board:laser", { x, y }).catch(() => undefined);
      },
      undo: async () => {
        const { opId } = await this.request("board:undo", {});
        if (opId && this.ops.delete(opId)) this.fire({ type: "ops" });
      },
    };
  }
}
