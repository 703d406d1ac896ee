/**
 * The classroom: a big stage (spotlight / screen share / the expert's camera / the active
 * speaker) above a strip of tiles, the control bar, and a side panel with participants
 * (raise hand, speaking, quality, host controls) and chat. Stacks into one column on a phone.
 */
import { Link } from "@remix-run/react";
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DataSaverMode, LiveRoomHandle, LiveSnapshot, Participant, RemoteMedia } from "~/domains/live/room-client";
import { formatTime, type DateOptions } from "~/utils/datetime";
import { resolveStage } from "~/domains/live/client/stage";
import { PollsPanel } from "./Polls";
import { BreakoutBanner, BreakoutPanel } from "./Breakouts";
import { MessageForm, NameTag, Placeholder, QualityDot, StreamAudio, StreamVideo } from "./bits";
import { Icon } from "~/components/ui/icon";
import { Notice } from "~/components/ui/feedback";

/** The whiteboard's code is loaded only when the host opens the board. */
const Whiteboard = lazy(() => import("./Whiteboard"));

/** The observer only reports levels above -70 dBov: anyone reported is speaking. */
const SPEAKING_DB = -70;

export function LiveRoomView({
  handle,
  snapshot,
  user,
  sessionId,
  onRejoin,
}: {
  handle: LiveRoomHandle | null;
  snapshot: LiveSnapshot;
  user: { id: string; name: string; dates: DateOptions };
  sessionId: string;
  onRejoin: () => void;
}) {
  const { t } = useTranslation("live");
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [audioUnlock, setAudioUnlock] = useState(0);
  const [chosenPanel, setPanel] = useState<"people" | "chat" | "polls" | "rooms">("people");
  const [actionError, setActionError] = useState<string | null>(null);
  const onAudioBlocked = useCallback(() => setAudioBlocked(true), []);
  const [stageEl, setStageEl] = useState<HTMLElement | null>(null);
  const { status, error, mediaProblem, localStream, participants, self, state, dataSaver, notice } = snapshot;
  const isModerator = self.role === "host" || self.role === "admin";
  // Breakout rooms: the tiles are your own room's people (the others' media never reaches you).
  const myRoom = snapshot.breakout?.yourRoom ?? null;
  const roomPeers = useMemo(() => participants.filter((p) => p.group === myRoom), [participants, myRoom]);
  const stage = useMemo(() => resolveStage(snapshot), [snapshot]);
  // A learner's "Rooms" tab exists only while breakouts run.
  const panel = chosenPanel === "rooms" && !isModerator && !snapshot.breakout ? "people" : chosenPanel;
  const names = useMemo(() => new Map(participants.map((p) => [p.userId, p.name])), [participants]);

  const act = useCallback(
    (fn: () => Promise<void>) => {
      setActionError(null);
      fn().catch((err: unknown) => setActionError(err instanceof Error ? err.message : String(err)));
    },
    [],
  );

  if (status === "signed_out") {
    return (
      <div className="mx-auto max-w-lg px-4 py-16 text-center" data-testid="live-signed_out">
        <p data-testid="live-status" data-status={status} className="text-lg font-semibold">
          {t("signedOutMessage")}
        </p>
        <div className="mt-6 flex justify-center gap-3">
          <a href={`/login?redirectTo=${encodeURIComponent(`/live/${sessionId}`)}`} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
            {t("signInAgain")}
          </a>
        </div>
      </div>
    );
  }

  if (status === "removed" || status === "ended" || status === "left") {
    return (
      <div className="mx-auto max-w-lg px-4 py-16 text-center" data-testid={`live-${status}`}>
        <p data-testid="live-status" data-status={status} className="text-lg font-semibold">
          {t(status === "removed" ? "removedMessage" : status === "ended" ? "endedMessage" : "left")}
        </p>
        <div className="mt-6 flex justify-center gap-3">
          {status === "left" ? (
            <button type="button" onClick={onRejoin} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
              {t("rejoin")}
            </button>
          ) : null}
          <Link to={`/sessions/${sessionId}`} className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100">
            {t("toSessionPage")}
          </Link>
        </div>
      </div>
    );
  }

  const statusText =
    status === "error"
      ? error?.code === "unauthorized"
        ? t("errorUnauthorized")
        : error?.code === "forbidden" || error?.code === "not_found"
          ? t(`refused.${refusalKey(error.message)}`)
          : t("error", { message: error?.message ?? "" })
      : t(status);

  const showRemoteVideo = (media: RemoteMedia) => {
    if (dataSaver === "audio") return false;
    if (dataSaver === "low") return stage?.kind === "remote" && stage.media.consumerId === media.consumerId;
    return true;
  };

  return (
    <div className="mx-auto flex w-full max-w-7xl flex-col gap-3 px-2 py-3 sm:px-4 lg:flex-row">
      <div className="min-w-0 flex-1">
        <header className="flex flex-wrap items-center justify-between gap-2">
          <div className="min-w-0">
            <h1 className="truncate text-lg font-bold sm:text-xl">{snapshot.session?.title ?? t("title")}</h1>
            <p
              data-testid="live-status"
              data-status={status}
              role="status"
              aria-live="polite"
              className={
                "inline-flex items-center gap-2 text-sm font-medium " +
                (status === "error" ? "text-red-700" : status === "connected" ? "text-emerald-700" : "text-amber-700")
              }
            >
              {statusText}
            </p>
            <span className="ml-3 inline-flex items-center gap-1 text-sm text-slate-600" data-testid="quality-indicator" data-quality={snapshot.localQuality}>
              <QualityDot quality={snapshot.localQuality} label={t("yourLink", { quality: t(`quality.${snapshot.localQuality}`) })} />
              <span className="hidden sm:inline">{t(`quality.${snapshot.localQuality}`)}</span>
            </span>
            {state.recording.active ? (
              <span className="ml-3 inline-flex items-center gap-1 rounded bg-red-600 px-2 py-0.5 text-xs font-bold text-white" data-testid="recording-indicator">
                <Icon name="dot" className="h-2.5 w-2.5" /> {t("recording")}
              </span>
            ) : null}
          </div>
          <div className="flex gap-2">
            {status === "error" ? (
              <button type="button" onClick={() => handle?.retry()} className="rounded-md border border-slate-300 bg-white px-3 py-2 font-semibold hover:bg-slate-100">
                {t("retry")}
              </button>
            ) : null}
            <button
              type="button"
              onClick={() => handle?.leave()}
              data-testid="live-leave"
              className="rounded-md bg-red-600 px-3 py-2 font-semibold text-white hover:bg-red-700"
            >
              {t("leave")}
            </button>
          </div>
        </header>

        {mediaProblem ? <Banner tone="amber">{t(mediaProblem === "media_denied" ? "mediaDenied" : mediaProblem === "media_insecure" ? "mediaInsecure" : "mediaUnavailable")}</Banner> : null}
        {notice ? (
          <Banner tone="amber" onDismiss={() => handle?.dismissNotice()} testId="live-notice">
            {"by" in notice ? t(`notice.${notice.kind}`, { name: notice.by }) : t(`notice.${notice.kind}`, { message: notice.message })}
          </Banner>
        ) : null}
        {snapshot.suggestDataSaver && dataSaver === "off" ? (
          <div className="mt-2" data-testid="data-saver-suggestion">
            <Notice tone="warning">
              <span>{t("dataSaver.suggest")}</span>{" "}
              <span className="mt-2 inline-flex flex-wrap gap-2">
                <button
                  type="button"
                  data-testid="data-saver-accept"
                  onClick={() => act(() => handle!.setDataSaver("low"))}
                  disabled={!handle}
                  className="rounded-md bg-amber-600 px-3 py-1 font-semibold text-white hover:bg-amber-700"
                >
                  {t("dataSaver.suggestAccept")}
                </button>
                <button type="button" data-testid="data-saver-dismiss" onClick={() => handle?.dismissDataSaverSuggestion()} className="font-semibold underline">
                  {t("dataSaver.suggestDismiss")}
                </button>
              </span>
            </Notice>
          </div>
        ) : null}
        <BreakoutBanner snapshot={snapshot} handle={handle} />
        {actionError ? <Banner tone="red" onDismiss={() => setActionError(null)}>{t("actionFailed", { message: actionError })}</Banner> : null}
        {audioBlocked ? (
          <button
            type="button"
            onClick={() => {
              setAudioBlocked(false);
              setAudioUnlock((n) => n + 1);
            }}
            className="mt-2 rounded-md bg-amber-500 px-4 py-2 font-semibold text-slate-900 hover:bg-amber-400"
          >
            {t("enableAudio")}
          </button>
        ) : null}

        {/* Stage */}
        <section ref={setStageEl} aria-label={t("stage")} className="relative mt-3 aspect-video max-h-[60vh] w-full overflow-hidden rounded-xl bg-slate-900" data-testid="stage">
          {stage?.kind === "remote" && showRemoteVideo(stage.media) ? (
            <>
              <RemoteVideo media={stage.media} handle={handle} fit="contain" />
              <NameTag>
                {stage.participant.name}
                {stage.media.source === "screen" ? ` · ${t("screen")}` : ""}
              </NameTag>
            </>
          ) : stage?.kind === "local" && stage.source === "screen" && snapshot.screenStream ? (
            <>
              <StreamVideo stream={snapshot.screenStream} testId="local-screen" fit="contain" />
              <NameTag>{t("yourScreen")}</NameTag>
            </>
          ) : stage?.kind === "local" && localStream ? (
            <>
              <StreamVideo stream={localStream} mirrored testId="local-stage" fit="contain" />
              <NameTag>{t("you", { name: user.name })}</NameTag>
            </>
          ) : (
            <div className="flex h-full items-center justify-center p-4 text-center text-slate-300">
              {dataSaver === "audio" ? t("dataSaver.audioOnlyStage") : status === "connected" && roomPeers.length === 0 ? t("waitingForOthers") : t("noVideo")}
            </div>
          )}
        </section>

        {snapshot.board.open && handle ? (
          <Suspense fallback={<p className="mt-2 text-sm text-slate-600">{t("board.loading")}</p>}>
            <Whiteboard handle={handle} board={snapshot.board} stage={stageEl} isModerator={isModerator} userId={user.id} names={names} act={act} />
          </Suspense>
        ) : null}

        {/* Tiles */}
        <ul className="mt-2 grid grid-cols-2 gap-2 sm:grid-cols-3 md:grid-cols-4" aria-label={t("participants")}>
          <li className="relative aspect-video overflow-hidden rounded-lg bg-slate-900" data-testid="self-tile">
            {localStream && localStream.getVideoTracks().length > 0 && self.cameraOn ? (
              <StreamVideo stream={localStream} mirrored testId="local-video" />
            ) : (
              <Placeholder name={user.name} small />
            )}
            <NameTag>
              {!self.micOn ? <MutedIcon /> : null}
              {t("you", { name: user.name })}
              {self.handRaised ? <Icon name="hand" label={t("handRaised")} className="ml-1 h-3.5 w-3.5 text-amber-300" /> : null}
            </NameTag>
          </li>
          {roomPeers.map((p) => {
            const cam = p.videos.find((v) => v.source === "camera");
            const camOnStage = stage?.kind === "remote" && cam && stage.media.consumerId === cam.consumerId;
            const extraScreens = p.videos.filter((v) => v.source === "screen" && !(stage?.kind === "remote" && stage.media.consumerId === v.consumerId));
            const speaking = p.volume !== null && p.volume > SPEAKING_DB;
            return (
              <li
                key={p.peerId}
                className={
                  "relative aspect-video overflow-hidden rounded-lg bg-slate-900 ring-offset-1 " +
                  (speaking ? "ring-4 ring-emerald-400" : "") +
                  (p.status === "reconnecting" ? " opacity-60" : "")
                }
                data-testid="remote-participant"
                data-name={p.name}
                data-speaking={speaking ? "true" : "false"}
                data-volume={p.volume ?? ""}
              >
                {cam && !camOnStage && showRemoteVideo(cam) ? <RemoteVideo media={cam} handle={handle} /> : <Placeholder name={p.name} small />}
                {extraScreens.length > 0 && showRemoteVideo(extraScreens[0]!) ? (
                  <div className="absolute right-1 top-1 h-1/2 w-1/2 overflow-hidden rounded border border-white/40">
                    <RemoteVideo media={extraScreens[0]!} handle={handle} />
                  </div>
                ) : null}
                {p.audios.map((a) => (
                  <StreamAudio key={a.consumerId} stream={a.stream} unlock={audioUnlock} onBlocked={onAudioBlocked} />
                ))}
                <NameTag>
                  <QualityDot quality={p.quality} />
                  {!p.micOn ? <MutedIcon /> : null}
                  {p.name}
                  {p.handRaised ? <Icon name="hand" label={t("handRaised")} className="ml-1 h-3.5 w-3.5 text-amber-300" /> : null}
                </NameTag>
                {p.status === "reconnecting" ? (
                  <span className="absolute inset-x-0 top-1 text-center text-xs font-semibold text-amber-300" data-testid="peer-reconnecting">
                    {t("peerReconnecting")}
                  </span>
                ) : null}
              </li>
            );
          })}
        </ul>

        {/* Controls */}
        <Controls handle={handle} snapshot={snapshot} act={act} />
      </div>

      <aside className="w-full shrink-0 lg:w-80">
        <div className="flex border-b border-slate-200" role="tablist">
          {(isModerator || snapshot.breakout ? (["people", "chat", "polls", "rooms"] as const) : (["people", "chat", "polls"] as const)).map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={panel === tab}
              onClick={() => setPanel(tab)}
              data-testid={`tab-${tab}`}
              className={"flex-1 px-3 py-2 text-sm font-semibold " + (panel === tab ? "border-b-2 border-brand-600 text-brand-700" : "text-slate-600")}
            >
              {tab === "people"
                ? t("participantsCount", { count: participants.length + 1 })
                : tab === "chat"
                  ? t("chat.title")
                  : tab === "polls"
                    ? t("polls.title")
                    : t("breakout.tab")}
              {tab === "chat" && panel !== "chat" && snapshot.chat.length ? ` (${snapshot.chat.length})` : ""}
              {tab === "polls" && panel !== "polls" && snapshot.poll?.poll.status === "open" ? ` (1)` : ""}
            </button>
          ))}
        </div>
        {panel !== "polls" && !isModerator && snapshot.poll?.poll.status === "open" && !snapshot.poll.myAnswer ? (
          <button
            type="button"
            onClick={() => setPanel("polls")}
            data-testid="poll-open-notice"
            className="mt-2 w-full rounded-md bg-amber-50 px-3 py-2 text-left text-sm font-semibold text-amber-900 ring-1 ring-amber-200"
          >
            {t("polls.openNotice")}
          </button>
        ) : null}
        {panel === "people" ? (
          <People snapshot={snapshot} handle={handle} user={user} isModerator={isModerator} act={act} />
        ) : panel === "chat" ? (
          <Chat snapshot={snapshot} handle={handle} act={act} userId={user.id} dates={user.dates} />
        ) : panel === "polls" ? (
          <PollsPanel snapshot={snapshot} handle={handle} isModerator={isModerator} act={act} />
        ) : isModerator ? (
          <BreakoutPanel snapshot={snapshot} handle={handle} act={act} userName={user.name} />
        ) : (
          <RoomList snapshot={snapshot} />
        )}
      </aside>
    </div>
  );
}

function refusalKey(message: string): string {
  const reason = message.split(":")[0] ?? "";
  return ["not_found", "not_invited", "removed", "cancelled", "ended", "too_early"].includes(reason) ? reason : "not_invited";
}

function RemoteVideo({ media, handle, fit }: { media: RemoteMedia; handle: LiveRoomHandle | null; fit?: "cover" | "contain" }) {
  const onSize = useCallback((w: number, h: number) => handle?.setTile(media.consumerId, w, h), [handle, media.consumerId]);
  return (
    <StreamVideo
      stream={media.stream}
      testId="remote-video"
      fit={fit}
      onSize={onSize}
      data={{ source: media.source, "producer-id": media.producerId }}
    />
  );
}

function MutedIcon() {
  const { t } = useTranslation("live");
  return (
    <span title={t("micOff")} className="text-red-400">
      <Icon name="micOff" label={t("micOff")} className="h-3.5 w-3.5" />
    </span>
  );
}

function Banner({ tone, children, onDismiss, testId }: { tone: "amber" | "red"; children: React.ReactNode; onDismiss?: () => void; testId?: string }) {
  const { t } = useTranslation("live");
  return (
    <div
      role="alert"
      data-testid={testId}
      className={
        "mt-2 flex items-start justify-between gap-2 rounded-md border px-3 py-2 text-sm " +
        (tone === "amber" ? "border-amber-200 bg-amber-50 text-amber-900" : "border-red-200 bg-red-50 text-red-800")
      }
    >
      <span>{children}</span>
      {onDismiss ? (
        <button type="button" onClick={onDismiss} className="font-semibold underline">
          {t("dismiss")}
        </button>
      ) : null}
    </div>
  );
}

function Controls({ handle, snapshot, act }: { handle: LiveRoomHandle | null; snapshot: LiveSnapshot; act: (fn: () => Promise<void>) => void }) {
  const { t } = useTranslation("live");
  const { self, dataSaver, state } = snapshot;
  const isModerator = self.role === "host" || self.role === "admin";
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [confirmEnd, setConfirmEnd] = useState(false);
  const canShare = typeof navigator !== "undefined" && !!navigator.mediaDevices && "getDisplayMedia" in navigator.mediaDevices;
  useEffect(() => {
    navigator.mediaDevices
      ?.enumerateDevices()
      .then((list) => setDevices(list.filter((d) => d.deviceId && (d.kind === "audioinput" || d.kind === "videoinput"))))
      .catch(() => undefined);
  }, [snapshot.localStream]);
  const disabled = !handle || snapshot.status !== "connected";
  const btn = (on: boolean) =>
    "rounded-full px-4 py-2 text-sm font-semibold disabled:opacity-50 " + (on ? "bg-slate-200 text-slate-900 hover:bg-slate-300" : "bg-red-600 text-white hover:bg-red-700");
  const currentMic = snapshot.localStream?.getAudioTracks()[0]?.getSettings().deviceId ?? "";
  const currentCam = snapshot.localStream?.getVideoTracks()[0]?.getSettings().deviceId ?? "";
  return (
    <div className="sticky bottom-0 z-10 mt-3 flex flex-wrap items-center gap-2 rounded-xl bg-white/95 p-2 shadow ring-1 ring-slate-200 backdrop-blur">
      <button type="button" disabled={disabled} className={btn(self.micOn)} aria-pressed={!self.micOn} data-testid="mic-toggle" data-on={self.micOn ? "true" : "false"} onClick={() => act(() => handle!.toggleMic())}>
        {self.micOn ? t("micOn") : t("micOff")}
      </button>
      <button type="button" disabled={disabled} className={btn(self.cameraOn)} aria-pressed={!self.cameraOn} data-testid="camera-toggle" data-on={self.cameraOn ? "true" : "false"} onClick={() => act(() => handle!.toggleCamera())}>
        {self.cameraOn ? t("cameraOn") : t("cameraOff")}
      </button>
      {canShare && (isModerator || state.screenShareAllowed || self.screenOn) ? (
        <button
          type="button"
          disabled={disabled}
          className="rounded-full bg-slate-200 px-4 py-2 text-sm font-semibold hover:bg-slate-300 disabled:opacity-50"
          aria-pressed={self.screenOn}
          data-testid="screen-toggle"
          onClick={() => act(async () => (self.screenOn ? handle!.stopScreenShare() : handle!.startScreenShare()))}
        >
          {self.screenOn ? t("stopShare") : t("shareScreen")}
        </button>
      ) : null}
      <button
        type="button"
        disabled={disabled}
        className={"rounded-full px-4 py-2 text-sm font-semibold disabled:opacity-50 " + (self.handRaised ? "bg-amber-400 text-slate-900" : "bg-slate-200 hover:bg-slate-300")}
        aria-pressed={self.handRaised}
        data-testid="hand-toggle"
        onClick={() => act(() => handle!.setHand(!self.handRaised))}
      >
        <Icon name="hand" className="mr-1 h-4 w-4" />
        {self.handRaised ? t("lowerHand") : t("raiseHand")}
      </button>
      <label className="flex items-center gap-1 text-sm">
        <span className="sr-only sm:not-sr-only">{t("dataSaver.label")}</span>
        <select
          value={dataSaver}
          data-testid="data-saver-select"
          onChange={(e) => act(() => handle!.setDataSaver(e.target.value as DataSaverMode))}
          className="rounded-md border border-slate-300 px-2 py-1.5"
          disabled={!handle}
        >
          <option value="off">{t("dataSaver.off")}</option>
          <option value="low">{t("dataSaver.low")}</option>
          <option value="audio">{t("dataSaver.audio")}</option>
        </select>
      </label>
      <details className="relative text-sm">
        <summary className="cursor-pointer rounded-full bg-slate-200 px-4 py-2 font-semibold hover:bg-slate-300">{t("devices")}</summary>
        <div className="absolute bottom-12 left-0 z-20 w-72 space-y-2 rounded-lg bg-white p-3 shadow-lg ring-1 ring-slate-200">
          <label className="block">
            <span className="block font-medium">{t("prejoin.microphone")}</span>
            <select className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1" value={currentMic} data-testid="switch-mic" onChange={(e) => act(() => handle!.switchDevice("audioinput", e.target.value))}>
              {devices.filter((d) => d.kind === "audioinput").map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>{d.label || t("prejoin.micN", { n: i + 1 })}</option>
              ))}
            </select>
          </label>
          <label className="block">
            <span className="block font-medium">{t("prejoin.camera")}</span>
            <select className="mt-1 w-full rounded-md border border-slate-300 px-2 py-1" value={currentCam} data-testid="switch-camera" onChange={(e) => act(() => handle!.switchDevice("videoinput", e.target.value))}>
              {devices.filter((d) => d.kind === "videoinput").map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>{d.label || t("prejoin.cameraN", { n: i + 1 })}</option>
              ))}
            </select>
          </label>
        </div>
      </details>
      {isModerator ? (
        <>
          <span className="mx-1 hidden h-6 w-px bg-slate-300 sm:inline-block" aria-hidden />
          <button type="button" disabled={disabled} className="rounded-full bg-slate-200 px-4 py-2 text-sm font-semibold hover:bg-slate-300 disabled:opacity-50" data-testid="host-mute-all" onClick={() => act(() => handle!.host.muteAll())}>
            {t("host.muteAll")}
          </button>
          <button
            type="button"
            disabled={disabled}
            data-testid="record-toggle"
            aria-pressed={state.recording.active}
            className={"rounded-full px-4 py-2 text-sm font-semibold disabled:opacity-50 " + (state.recording.active ? "bg-red-600 text-white" : "bg-slate-200 hover:bg-slate-300")}
            onClick={() => act(() => (state.recording.active ? handle!.host.stopRecording() : handle!.host.startRecording()))}
          >
            {state.recording.active ? t("host.stopRecording") : t("host.startRecording")}
          </button>
          <button
            type="button"
            disabled={disabled}
            data-testid="board-toggle"
            aria-pressed={snapshot.board.open}
            className={"inline-flex items-center gap-1 rounded-full px-4 py-2 text-sm font-semibold disabled:opacity-50 " + (snapshot.board.open ? "bg-brand-600 text-white" : "bg-slate-200 hover:bg-slate-300")}
            onClick={() => act(() => handle!.host.setBoard({ open: !snapshot.board.open }))}
          >
            <Icon name="board" /> {snapshot.board.open ? t("board.close") : t("board.open")}
          </button>
          <button
            type="button"
            disabled={disabled}
            data-testid="host-allow-screen-share"
            aria-pressed={state.screenShareAllowed}
            className={"rounded-full px-4 py-2 text-sm font-semibold disabled:opacity-50 " + (state.screenShareAllowed ? "bg-amber-300 text-slate-900" : "bg-slate-200 hover:bg-slate-300")}
            onClick={() => act(() => handle!.host.allowScreenShare(!state.screenShareAllowed))}
          >
            {state.screenShareAllowed ? t("host.forbidScreenShare") : t("host.allowScreenShare")}
          </button>
          {state.spotlight ? (
            <button type="button" disabled={disabled} className="rounded-full bg-slate-200 px-4 py-2 text-sm font-semibold hover:bg-slate-300" data-testid="host-unspotlight" onClick={() => act(() => handle!.host.spotlight(null))}>
              {t("host.clearSpotlight")}
            </button>
          ) : null}
          {confirmEnd ? (
            <button type="button" disabled={disabled} className="rounded-full bg-red-700 px-4 py-2 text-sm font-semibold text-white" data-testid="host-end-confirm" onClick={() => act(() => handle!.host.end())}>
              {t("host.endConfirm")}
            </button>
          ) : (
            <button type="button" disabled={disabled} className="rounded-full bg-red-100 px-4 py-2 text-sm font-semibold text-red-800 hover:bg-red-200" data-testid="host-end" onClick={() => setConfirmEnd(true)}>
              {t("host.end")}
            </button>
          )}
        </>
      ) : null}
    </div>
  );
}

function People({
  snapshot,
  handle,
  user,
  isModerator,
  act,
}: {
  snapshot: LiveSnapshot;
  handle: LiveRoomHandle | null;
  user: { id: string; name: string };
  isModerator: boolean;
  act: (fn: () => Promise<void>) => void;
}) {
  const { t } = useTranslation("live");
  const [confirmRemove, setConfirmRemove] = useState<string | null>(null);
  const { participants, self } = snapshot;
  const sorted = [...participants].sort((a, b) => Number(b.handRaised) - Number(a.handRaised) || a.name.localeCompare(b.name));
  return (
    <ul className="mt-2 space-y-1" data-testid="participant-list">
      <li className="flex items-center gap-2 rounded-md px-2 py-1.5" data-testid="participant-row" data-name={user.name} data-self="true" data-hand={self.handRaised ? "raised" : "down"}>
        <QualityDot quality={snapshot.localQuality} />
        <span className="min-w-0 flex-1 truncate">
          {t("you", { name: user.name })}
          {self.role ? <span className="ml-1 text-xs text-slate-500">{t(`role.${self.role}`)}</span> : null}
        </span>
        {self.handRaised ? <Icon name="hand" label={t("handRaised")} className="h-4 w-4 text-amber-500" /> : null}
        {!self.micOn ? <MutedIcon /> : null}
      </li>
      {sorted.map((p) => {
        const speaking = p.volume !== null && p.volume > SPEAKING_DB;
        return (
          <li
            key={p.peerId}
            className={"rounded-md px-2 py-1.5 " + (speaking ? "bg-emerald-50" : "")}
            data-testid="participant-row"
            data-name={p.name}
            data-peer-id={p.peerId}
            data-hand={p.handRaised ? "raised" : "down"}
            data-status={p.status}
            data-mic={p.micOn ? "on" : "off"}
            data-speaking={speaking ? "true" : "false"}
          >
            <div className="flex items-center gap-2">
              <QualityDot quality={p.quality} />
              <span className="min-w-0 flex-1 truncate">
                {p.name}
                <span className="ml-1 text-xs text-slate-500">{t(`role.${p.role}`)}</span>
                {snapshot.breakout ? (
                  <span className="ml-1 text-xs text-brand-700" data-testid="participant-room">
                    {p.group === null ? t("breakout.main") : t("breakout.room", { n: p.group })}
                  </span>
                ) : null}
                {p.status === "reconnecting" ? <span className="ml-1 text-xs font-semibold text-amber-700">{t("peerReconnecting")}</span> : null}
                {speaking ? <span className="sr-only">{t("speaking")}</span> : null}
              </span>
              {p.handRaised ? <Icon name="hand" label={t("handRaised")} className="h-4 w-4 text-amber-500" /> : null}
              {!p.micOn ? <MutedIcon /> : null}
              {p.screenOn ? <Icon name="screen" label={t("screen")} className="h-4 w-4 text-slate-600" /> : null}
              {snapshot.board.drawers.includes(p.userId) ? (
                <span className="inline-flex items-center gap-0.5 text-xs text-brand-700" data-testid="may-draw">
                  <Icon name="pen" className="h-3.5 w-3.5" /> {t("board.mayDraw")}
                </span>
              ) : null}
            </div>
            {isModerator && p.userId !== user.id ? (
              <div className="mt-1 flex flex-wrap gap-1 text-xs">
                {p.micOn ? (
                  <HostButton testId="host-mute" onClick={() => act(() => handle!.host.mute(p.peerId))}>{t("host.mute")}</HostButton>
                ) : null}
                {p.cameraOn || p.screenOn ? (
                  <HostButton testId="host-stop-video" onClick={() => act(() => handle!.host.stopVideo(p.peerId))}>{t("host.stopVideo")}</HostButton>
                ) : null}
                {p.cameraOn || p.screenOn ? (
                  <HostButton
                    testId="host-spotlight"
                    onClick={() => act(() => handle!.host.spotlight({ peerId: p.peerId, source: p.screenOn ? "screen" : "camera" }))}
                  >
                    {t("host.spotlight")}
                  </HostButton>
                ) : null}
                {p.role === "participant" ? (
                  <HostButton testId="host-allow-draw" onClick={() => act(() => handle!.host.allowDrawing(p.peerId, !snapshot.board.drawers.includes(p.userId)))}>
                    {snapshot.board.drawers.includes(p.userId) ? t("board.forbidDraw") : t("board.allowDraw")}
                  </HostButton>
                ) : null}
                {p.handRaised ? (
                  <HostButton testId="host-lower-hand" onClick={() => act(() => handle!.host.lowerHand(p.peerId))}>{t("host.lowerHand")}</HostButton>
                ) : null}
                {p.role !== "host" ? (
                  confirmRemove === p.peerId ? (
                    <HostButton danger testId="host-remove-confirm" onClick={() => act(() => handle!.host.remove(p.peerId))}>
                      {t("host.removeConfirm")}
                    </HostButton>
                  ) : (
                    <HostButton testId="host-remove" onClick={() => setConfirmRemove(p.peerId)}>{t("host.remove")}</HostButton>
                  )
                ) : null}
              </div>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

function HostButton({ children, onClick, testId, danger }: { children: React.ReactNode; onClick: () => void; testId: string; danger?: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      data-testid={testId}
      className={"rounded border px-2 py-0.5 font-semibold " + (danger ? "border-red-700 bg-red-700 text-white" : "border-slate-300 bg-white hover:bg-slate-100")}
    >
      {children}
    </button>
  );
}

function Chat({
  snapshot,
  handle,
  act,
  userId,
  dates,
}: {
  snapshot: LiveSnapshot;
  handle: LiveRoomHandle | null;
  act: (fn: () => Promise<void>) => void;
  userId: string;
  dates: DateOptions;
}) {
  const { t } = useTranslation("live");
  const listRef = useRef<HTMLOListElement>(null);
  useEffect(() => {
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [snapshot.chat.length]);
  return (
    <div className="mt-2 flex h-[50vh] flex-col lg:h-[70vh]">
      <ol ref={listRef} className="flex-1 space-y-2 overflow-y-auto rounded-md bg-white p-2 ring-1 ring-slate-200" aria-live="polite" data-testid="chat-list">
        {snapshot.chat.length === 0 ? <li className="text-sm text-slate-500">{t("chat.empty")}</li> : null}
        {snapshot.chat.map((m) => (
          <li key={m.id} className="text-sm" data-testid="chat-message">
            <span className={"font-semibold " + (m.userId === userId ? "text-brand-700" : "")}>{m.name}</span>{" "}
            <time className="text-xs text-slate-500" dateTime={m.createdAt}>
              {formatTime(m.createdAt, dates)}
            </time>
            {m.room ? <span className="ml-1 text-xs text-brand-700">{t("breakout.chatRoom", { n: m.room })}</span> : null}
            <p className="whitespace-pre-wrap break-words">{m.body}</p>
          </li>
        ))}
      </ol>
      <div className="mt-2">
        <MessageForm
          id="chat-input"
          label={t("chat.label")}
          placeholder={t("chat.placeholder")}
          sendLabel={t("chat.send")}
          maxLength={1000}
          disabled={!handle || snapshot.status !== "connected"}
          onSend={(text) => act(() => handle!.sendChat(text))}
          inputTestId="chat-input"
          sendTestId="chat-send"
        />
      </div>
    </div>
  );
}

/** Participants while breakouts run: who is in which room (moderators get BreakoutPanel instead). */
function RoomList({ snapshot }: { snapshot: LiveSnapshot }) {
  const { t } = useTranslation("live");
  const breakout = snapshot.breakout;
  if (!breakout) return <p className="mt-2 text-sm text-slate-600">{t("breakout.nobody")}</p>;
  const rooms: (number | null)[] = [null, ...Array.from({ length: breakout.count }, (_, i) => i + 1)];
  return (
    <ul className="mt-2 space-y-2 text-sm" data-testid="breakout-rooms">
      {rooms.map((room) => {
        const members = snapshot.participants.filter((p) => p.group === room);
        return (
          <li key={room ?? "main"} className="rounded-md bg-white p-2 ring-1 ring-slate-200">
            <h3 className="font-semibold">
              {room === null ? t("breakout.main") : t("breakout.room", { n: room })}
              {breakout.yourRoom === room ? <span className="ml-1 text-xs font-normal text-brand-700">({t("breakout.here")})</span> : null}
            </h3>
            <p className="text-slate-700">{members.length ? members.map((p) => p.name).join(", ") : breakout.yourRoom === room ? "" : t("breakout.nobody")}</p>
          </li>
        );
      })}
    </ul>
  );
}
