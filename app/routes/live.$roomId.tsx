import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { z } from "zod";
import { requireUser } from "~/domains/auth/session.server";
// Types only: the client module itself is loaded with import() in the effect below, so
// mediasoup-client and socket.io-client never land in other pages' bundles.
import type { LiveRoomHandle, LiveSnapshot, Participant } from "~/domains/live/room-client";

export const handle = { i18n: "live" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.roomId} · Live · SkillRelay` : "Live · SkillRelay" },
];

const RoomIdSchema = z.string().regex(/^[a-z0-9-]{1,64}$/i);

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const roomId = RoomIdSchema.safeParse(params.roomId);
  if (!roomId.success) throw new Response("Invalid room id", { status: 400 });
  return { roomId: roomId.data, user: { id: user.id, name: user.name } };
}

const INITIAL: LiveSnapshot = {
  status: "connecting",
  error: null,
  mediaProblem: null,
  localStream: null,
  participants: [],
  peerId: null,
};

export default function LiveRoom() {
  const { roomId, user } = useLoaderData<typeof loader>();
  const { t } = useTranslation("live");
  const [snapshot, setSnapshot] = useState<LiveSnapshot>(INITIAL);
  const [session, setSession] = useState(0); // bumped by "Rejoin" after leaving
  const [audioBlocked, setAudioBlocked] = useState(false);
  const [audioUnlock, setAudioUnlock] = useState(0);
  const handleRef = useRef<LiveRoomHandle | null>(null);

  useEffect(() => {
    let cancelled = false;
    let roomHandle: LiveRoomHandle | null = null;
    setSnapshot(INITIAL);
    (async () => {
      try {
        const { joinRoom } = await import("~/domains/live/room-client");
        if (cancelled) return;
        roomHandle = joinRoom({
          roomId,
          onChange: (next) => {
            if (!cancelled) setSnapshot(next);
          },
        });
        handleRef.current = roomHandle;
      } catch (error) {
        if (!cancelled) {
          setSnapshot({ ...INITIAL, status: "error", error: { code: "load_failed", message: String(error) } });
        }
      }
    })();
    return () => {
      cancelled = true;
      roomHandle?.leave();
      if (handleRef.current === roomHandle) handleRef.current = null;
    };
  }, [roomId, session]);

  const leave = useCallback(() => handleRef.current?.leave(), []);
  const rejoin = useCallback(() => setSession((n) => n + 1), []);
  const retry = useCallback(() => {
    if (handleRef.current) handleRef.current.retry();
    else setSession((n) => n + 1); // the client module itself failed to load
  }, []);
  const onAudioBlocked = useCallback(() => setAudioBlocked(true), []);
  const unlockAudio = useCallback(() => {
    setAudioBlocked(false);
    setAudioUnlock((n) => n + 1);
  }, []);

  const { status, error, mediaProblem, localStream, participants } = snapshot;
  const statusText =
    status === "error"
      ? error?.code === "unauthorized"
        ? t("errorUnauthorized")
        : t("error", { message: error?.message ?? "" })
      : t(status);

  return (
    <div className="mx-auto w-full max-w-6xl px-3 py-4 sm:px-4 sm:py-6">
      <header className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <h1 className="text-xl font-bold sm:text-2xl">{t("title")}</h1>
          <p className="truncate text-sm text-slate-600">{t("room", { roomId })}</p>
          <p
            data-testid="live-status"
            data-status={status}
            role="status"
            aria-live="polite"
            className={
              "mt-1 inline-flex items-center gap-2 text-sm font-medium " +
              (status === "error" ? "text-red-700" : status === "connected" ? "text-emerald-700" : "text-slate-600")
            }
          >
            <span
              aria-hidden="true"
              className={
                "inline-block h-2 w-2 rounded-full " +
                (status === "error" ? "bg-red-600" : status === "connected" ? "bg-emerald-600" : "bg-amber-500")
              }
            />
            {statusText}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          {status === "error" ? (
            <button
              type="button"
              onClick={retry}
              className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100"
            >
              {t("retry")}
            </button>
          ) : null}
          {status === "left" ? (
            <>
              <button
                type="button"
                onClick={rejoin}
                className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700"
              >
                {t("rejoin")}
              </button>
              <Link
                to="/live"
                className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100"
              >
                {t("backToRooms")}
              </Link>
            </>
          ) : (
            <button
              type="button"
              onClick={leave}
              data-testid="live-leave"
              className="rounded-md bg-red-600 px-4 py-2 font-semibold text-white hover:bg-red-700"
            >
              {t("leave")}
            </button>
          )}
        </div>
      </header>

      {mediaProblem && status !== "left" ? (
        <p role="alert" className="mt-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
          {t(mediaProblem === "media_denied" ? "mediaDenied" : mediaProblem === "media_insecure" ? "mediaInsecure" : "mediaUnavailable")}
        </p>
      ) : null}
      {audioBlocked && status !== "left" ? (
        <button
          type="button"
          onClick={unlockAudio}
          className="mt-3 rounded-md bg-amber-500 px-4 py-2 font-semibold text-slate-900 hover:bg-amber-400"
        >
          {t("enableAudio")}
        </button>
      ) : null}

      {status === "left" ? (
        <p className="mt-8 text-center text-slate-600">{t("left")}</p>
      ) : (
        <>
          <ul className="mt-4 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            <li className="relative overflow-hidden rounded-xl bg-slate-900 shadow-sm">
              <div className="aspect-video">
                {localStream && localStream.getVideoTracks().length > 0 ? (
                  <StreamVideo stream={localStream} muted mirrored testId="local-video" />
                ) : (
                  <Placeholder name={user.name} />
                )}
              </div>
              <NameTag>{t("you", { name: user.name })}</NameTag>
            </li>
            {participants.map((p) => (
              <RemoteTile key={p.peerId} participant={p} unlock={audioUnlock} onAudioBlocked={onAudioBlocked} />
            ))}
          </ul>
          {status === "connected" && participants.length === 0 ? (
            <p className="mt-6 text-center text-slate-600">{t("waitingForOthers")}</p>
          ) : null}
        </>
      )}
    </div>
  );
}

function RemoteTile({
  participant,
  unlock,
  onAudioBlocked,
}: {
  participant: Participant;
  unlock: number;
  onAudioBlocked: () => void;
}) {
  return (
    <li className="relative overflow-hidden rounded-xl bg-slate-900 shadow-sm" data-testid="remote-participant">
      {participant.videos.length > 0 ? (
        participant.videos.map((v) => (
          <div key={v.consumerId} className="aspect-video">
            <StreamVideo stream={v.stream} muted testId="remote-video" />
          </div>
        ))
      ) : (
        <div className="aspect-video">
          <Placeholder name={participant.name} />
        </div>
      )}
      {participant.audios.map((a) => (
        <StreamAudio key={a.consumerId} stream={a.stream} unlock={unlock} onBlocked={onAudioBlocked} />
      ))}
      <NameTag>{participant.name}</NameTag>
    </li>
  );
}

/** A muted, inline, autoplaying video bound to a MediaStream (audio plays separately). */
function StreamVideo({
  stream,
  muted,
  mirrored,
  testId,
}: {
  stream: MediaStream;
  muted: boolean;
  mirrored?: boolean;
  testId: string;
}) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.muted = muted;
    el.srcObject = stream;
    el.play().catch(() => undefined);
    return () => {
      el.srcObject = null;
    };
  }, [stream, muted]);
  return (
    <video
      ref={ref}
      data-testid={testId}
      autoPlay
      playsInline
      muted={muted}
      className={"h-full w-full object-cover" + (mirrored ? " -scale-x-100" : "")}
    />
  );
}

function StreamAudio({ stream, unlock, onBlocked }: { stream: MediaStream; unlock: number; onBlocked: () => void }) {
  const ref = useRef<HTMLAudioElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (el.srcObject !== stream) el.srcObject = stream;
    el.play().catch((error: unknown) => {
      // Autoplay policy: sound needs a user gesture first.
      if (error instanceof DOMException && error.name === "NotAllowedError") onBlocked();
    });
  }, [stream, unlock, onBlocked]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) el.srcObject = null;
    };
  }, []);
  return <audio ref={ref} autoPlay className="hidden" />;
}

function Placeholder({ name }: { name: string }) {
  return (
    <div className="flex h-full w-full items-center justify-center">
      <span className="flex h-16 w-16 items-center justify-center rounded-full bg-slate-700 text-2xl font-semibold text-white">
        {name.trim().charAt(0).toUpperCase() || "?"}
      </span>
    </div>
  );
}

function NameTag({ children }: { children: React.ReactNode }) {
  return (
    <span className="absolute bottom-2 left-2 max-w-[85%] truncate rounded bg-black/60 px-2 py-0.5 text-sm text-white">
      {children}
    </span>
  );
}
