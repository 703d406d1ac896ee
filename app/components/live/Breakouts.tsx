/**
 * Breakout rooms in the classroom (docs/decisions/030-breakout-rooms.md): the banner with
 * the countdown and the moderators' messages (everyone), and the moderators' panel — open N
 * rooms automatically or by hand, move people, visit a room, message every room, call
 * everyone back. The media and chat of each room are the server's business: this only
 * shows the state and sends the requests.
 */
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import type { LiveRoomHandle, LiveSnapshot } from "~/domains/live/room-client";
import { Notice } from "~/components/ui/feedback";
import { Button } from "~/components/ui/forms";
import { Icon } from "~/components/ui/icon";
import { MessageForm } from "./bits";

const MAX_ROOMS = 20;
const MAX_MINUTES = 240;
const MESSAGE_CHARS = 300;
/** A compact select / number box for the side panel (the kit's controls are full width). */
const smallControl = "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm";

/** "04:31" until `endsAt` (ISO), ticking every second; null when there is no end. */
function useCountdown(endsAt: string | null): string | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!endsAt) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [endsAt]);
  if (!endsAt) return null;
  const left = Math.max(0, Math.ceil((Date.parse(endsAt) - now) / 1000));
  const h = Math.floor(left / 3600);
  const m = Math.floor((left % 3600) / 60);
  const s = left % 60;
  const mmss = `${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/** "Room 2" / "Main room". */
function useRoomName(): (room: number | null) => string {
  const { t } = useTranslation("live");
  return (room) => (room === null ? t("breakout.main") : t("breakout.room", { n: room }));
}

/** Everyone: where you are and how long is left, and the last message to all rooms. */
export function BreakoutBanner({ snapshot, handle }: { snapshot: LiveSnapshot; handle: LiveRoomHandle | null }) {
  const { t } = useTranslation("live");
  const roomName = useRoomName();
  const { breakout, breakoutMessage } = snapshot;
  const time = useCountdown(breakout?.endsAt ?? null);
  return (
    <>
      {breakout ? (
        <div className="mt-2" data-testid="breakout-banner" data-room={breakout.yourRoom ?? "main"}>
          <Notice tone="info">
            <span className="inline-flex items-center gap-1 font-semibold">
              <Icon name="clock" /> {breakout.yourRoom === null ? t("breakout.youAreInMain", { time }) : t("breakout.youAreIn", { room: roomName(breakout.yourRoom), time })}
            </span>
          </Notice>
        </div>
      ) : null}
      {breakoutMessage ? (
        <div className="mt-2" data-testid="breakout-message">
          <Notice tone="warning">
            <span className="flex items-start justify-between gap-2">
              <span className="whitespace-pre-wrap break-words">{t("breakout.message", { name: breakoutMessage.by, text: breakoutMessage.text })}</span>
              <button type="button" onClick={() => handle?.dismissBreakoutMessage()} className="shrink-0 font-semibold underline">
                {t("dismiss")}
              </button>
            </span>
          </Notice>
        </div>
      ) : null}
    </>
  );
}

/** Moderators: open rooms, or run the open ones. */
interface PanelProps {
  snapshot: LiveSnapshot;
  handle: LiveRoomHandle | null;
  act: (fn: () => Promise<void>) => void;
  userName: string;
}

export function BreakoutPanel({ snapshot, handle, act, userName }: PanelProps) {
  return snapshot.breakout ? (
    <RunningRooms snapshot={snapshot} handle={handle} act={act} userName={userName} />
  ) : (
    <OpenRooms snapshot={snapshot} handle={handle} act={act} />
  );
}

function OpenRooms({ snapshot, handle, act }: Omit<PanelProps, "userName">) {
  const { t } = useTranslation("live");
  const [count, setCount] = useState(2);
  const [minutes, setMinutes] = useState(10);
  const [mode, setMode] = useState<"auto" | "manual">("auto");
  const [chosen, setChosen] = useState<Record<string, number | null>>({});
  const people = snapshot.participants.filter((p) => p.role === "participant");
  const others = snapshot.participants.filter((p) => p.role !== "participant");
  const disabled = !handle || snapshot.status !== "connected";
  const roomOf = (peerId: string, i: number) => {
    const picked = chosen[peerId];
    if (picked === null) return null;
    if (picked !== undefined && picked <= count) return picked;
    return (i % count) + 1; // the automatic split as a starting point
  };
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    if (!handle) return;
    const assignment =
      mode === "auto"
        ? ("auto" as const)
        : Object.fromEntries([...people.map((p, i) => [p.peerId, roomOf(p.peerId, i)] as const), ...others.flatMap((p) => (chosen[p.peerId] ? [[p.peerId, chosen[p.peerId]!] as const] : []))]);
    act(() => handle.host.openBreakouts({ count, minutes, assignment }));
  };
  return (
    <form onSubmit={submit} className="mt-2 space-y-3 rounded-md bg-white p-3 ring-1 ring-slate-200" data-testid="breakout-panel">
      <h2 className="font-semibold">{t("breakout.title")}</h2>
      <div className="flex flex-wrap gap-3">
        <label className="block text-sm">
          <span className="block font-medium">{t("breakout.count")}</span>
          <select className={smallControl + " mt-1 w-24"} value={count} onChange={(e) => setCount(Number(e.target.value))} data-testid="breakout-count">
            {Array.from({ length: MAX_ROOMS - 1 }, (_, i) => i + 2).map((n) => (
              <option key={n} value={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="block font-medium">{t("breakout.minutes")}</span>
          <input
            type="number"
            min={1}
            max={MAX_MINUTES}
            required
            value={minutes}
            onChange={(e) => setMinutes(Math.max(1, Math.min(MAX_MINUTES, Math.round(Number(e.target.value) || 1))))}
            className={smallControl + " mt-1 w-24"}
            data-testid="breakout-minutes"
          />
        </label>
      </div>
      <fieldset className="text-sm">
        <legend className="font-medium">{t("breakout.mode")}</legend>
        <label className="mr-4 inline-flex items-center gap-1">
          <input type="radio" name="breakout-mode" checked={mode === "auto"} onChange={() => setMode("auto")} data-testid="breakout-mode-auto" /> {t("breakout.auto")}
        </label>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="breakout-mode" checked={mode === "manual"} onChange={() => setMode("manual")} data-testid="breakout-mode-manual" /> {t("breakout.manual")}
        </label>
      </fieldset>
      {people.length === 0 ? <p className="text-sm text-slate-600">{t("breakout.noParticipants")}</p> : null}
      {mode === "manual" ? (
        <ul className="space-y-1">
          {[...people, ...others].map((p) => {
            const i = people.indexOf(p);
            const value = i >= 0 ? roomOf(p.peerId, i) : (chosen[p.peerId] ?? null);
            return (
              <li key={p.peerId}>
                <label className="flex items-center justify-between gap-2 text-sm">
                  <span className="min-w-0 truncate">{p.name}</span>
                  <RoomSelect
                    className="w-32"
                    label={t("breakout.assignFor", { name: p.name })}
                    testId="breakout-assign"
                    name={p.name}
                    rooms={[null, ...Array.from({ length: count }, (_, r) => r + 1)]}
                    value={value}
                    onChange={(room) => setChosen((c) => ({ ...c, [p.peerId]: room }))}
                  />
                </label>
              </li>
            );
          })}
        </ul>
      ) : null}
      <Button type="submit" disabled={disabled || people.length === 0} data-testid="breakout-open">
        {t("breakout.open")}
      </Button>
    </form>
  );
}

/** Main room (null) or breakout room 1…n for one person. */
function RoomSelect(props: {
  className: string;
  label: string;
  testId: string;
  name: string;
  rooms: (number | null)[];
  value: number | null;
  disabled?: boolean;
  onChange: (room: number | null) => void;
}) {
  const roomName = useRoomName();
  return (
    <select
      className={smallControl + " shrink-0 " + props.className}
      aria-label={props.label}
      data-testid={props.testId}
      data-name={props.name}
      value={props.value === null ? "main" : String(props.value)}
      disabled={props.disabled}
      onChange={(e) => props.onChange(e.target.value === "main" ? null : Number(e.target.value))}
    >
      {props.rooms.map((r) => (
        <option key={r ?? "main"} value={r === null ? "main" : String(r)}>{roomName(r)}</option>
      ))}
    </select>
  );
}

function RunningRooms({ snapshot, handle, act, userName }: PanelProps) {
  const { t } = useTranslation("live");
  const roomName = useRoomName();
  const breakout = snapshot.breakout!;
  const time = useCountdown(breakout.endsAt);
  const [confirmClose, setConfirmClose] = useState(false);
  const disabled = !handle || snapshot.status !== "connected";
  const rooms: (number | null)[] = [null, ...Array.from({ length: breakout.count }, (_, i) => i + 1)];
  return (
    <div className="mt-2 space-y-3" data-testid="breakout-panel" data-open="true">
      <p className="text-sm font-semibold" data-testid="breakout-time-left">
        <Icon name="clock" /> {t("breakout.timeLeft", { time })}
      </p>
      <ul className="space-y-2">
        {rooms.map((room) => {
          const here = breakout.yourRoom === room;
          const members = snapshot.participants.filter((p) => p.group === room);
          return (
            <li key={room ?? "main"} className={"rounded-md p-2 ring-1 " + (here ? "bg-brand-50 ring-brand-300" : "bg-white ring-slate-200")} data-testid="breakout-room" data-room={room ?? "main"}>
              <div className="flex items-center justify-between gap-2">
                <h3 className="font-semibold">
                  {roomName(room)}
                  {here ? <span className="ml-1 text-xs font-normal text-brand-700">({t("breakout.here")})</span> : null}
                </h3>
                {!here ? (
                  <button
                    type="button"
                    disabled={disabled}
                    className="rounded border border-slate-300 bg-white px-2 py-0.5 text-xs font-semibold hover:bg-slate-100 disabled:opacity-50"
                    data-testid="breakout-visit"
                    data-room={room ?? "main"}
                    onClick={() => act(() => handle!.host.visitBreakout(room))}
                  >
                    {room === null ? t("breakout.backToMain") : t("breakout.visit")}
                  </button>
                ) : null}
              </div>
              <ul className="mt-1 space-y-1 text-sm">
                {here ? <li className="text-slate-600">{t("you", { name: userName })}</li> : null}
                {members.length === 0 && !here ? <li className="text-slate-500">{t("breakout.nobody")}</li> : null}
                {members.map((p) => (
                  <li key={p.peerId} className="flex items-center justify-between gap-2" data-testid="breakout-member" data-name={p.name}>
                    <span className="min-w-0 truncate">
                      {p.name}
                      {p.handRaised ? <Icon name="hand" label={t("handRaised")} className="ml-1 h-3.5 w-3.5 text-amber-500" /> : null}
                    </span>
                    <RoomSelect
                      className="w-28 py-0.5 text-xs"
                      label={t("breakout.moveFor", { name: p.name })}
                      testId="breakout-move"
                      name={p.name}
                      rooms={rooms}
                      value={room}
                      disabled={disabled}
                      onChange={(to) => act(() => handle!.host.moveToBreakout(p.peerId, to))}
                    />
                  </li>
                ))}
              </ul>
            </li>
          );
        })}
      </ul>
      <MessageForm
        id="breakout-broadcast"
        label={t("breakout.broadcast")}
        placeholder={t("breakout.broadcast")}
        sendLabel={t("breakout.broadcastSend")}
        maxLength={MESSAGE_CHARS}
        disabled={disabled}
        onSend={(text) => act(() => handle!.host.broadcastToBreakouts(text))}
        inputTestId="breakout-broadcast-input"
        sendTestId="breakout-broadcast-send"
      />
      {confirmClose ? (
        <div className="rounded-md bg-red-50 p-2 text-sm ring-1 ring-red-200" role="group" aria-label={t("breakout.close")}>
          <p>{t("breakout.closeQuestion")}</p>
          <div className="mt-2 flex flex-wrap gap-2">
            <Button type="button" variant="danger" disabled={disabled} data-testid="breakout-close-confirm" onClick={() => act(() => handle!.host.closeBreakouts())}>
              {t("breakout.closeConfirm")}
            </Button>
            <Button type="button" variant="secondary" onClick={() => setConfirmClose(false)}>
              {t("breakout.cancel")}
            </Button>
          </div>
        </div>
      ) : (
        <Button type="button" variant="danger" disabled={disabled} data-testid="breakout-close" onClick={() => setConfirmClose(true)}>
          {t("breakout.close")}
        </Button>
      )}
    </div>
  );
}
