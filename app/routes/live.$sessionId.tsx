import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireUser } from "~/domains/auth/session.server";
import { formatDateTime, type DateOptions } from "~/utils/datetime";
import { dateOptions } from "~/utils/datetime.server";
import { checkAccess } from "~/domains/live/sessions.server";
// Types only: the client module itself is loaded with import() below, so mediasoup-client
// and socket.io-client never land in other pages' bundles.
import type { LiveRoomHandle, LiveSnapshot } from "~/domains/live/room-client";
import { LiveRoomView } from "~/components/live/LiveRoomView";
import { PreJoin, type JoinChoices } from "~/components/live/PreJoin";
import { sessionIdSchema } from "~/domains/live/validation";

export const handle = { i18n: "live" };

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data && "title" in data && data.title ? `${data.title} · Live · SkillRelay` : "Live · SkillRelay" },
];


export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = sessionIdSchema.safeParse(params.sessionId);
  if (!sessionId.success) {
    return data({ refused: { reason: "not_found" as const, opensAt: null }, sessionId: "", title: null, user: null }, { status: 404 });
  }
  const { decision, view, session } = await checkAccess(user, sessionId.data);
  if (!view.ok) {
    // Neither host, admin, invited nor booked: not even the title.
    return data(
      { refused: { reason: view.reason, opensAt: null }, sessionId: sessionId.data, title: null, user: null },
      { status: view.reason === "not_found" ? 404 : 403 },
    );
  }
  if (!decision.ok) {
    const opensAt = decision.opensAt ? formatDateTime(decision.opensAt, await dateOptions(request, user)) : null;
    return data(
      { refused: { reason: decision.reason, opensAt }, sessionId: sessionId.data, title: session?.title ?? null, user: null },
      { status: decision.reason === "not_found" ? 404 : 403 },
    );
  }
  return {
    refused: null,
    sessionId: sessionId.data,
    title: session!.title,
    user: { id: user.id, name: user.name, dates: await dateOptions(request, user) },
    host: session!.hostId === user.id,
  };
}

const INITIAL: LiveSnapshot = {
  status: "connecting",
  error: null,
  mediaProblem: null,
  notice: null,
  localStream: null,
  screenStream: null,
  self: { peerId: null, role: null, handRaised: false, micOn: false, cameraOn: false, screenOn: false, volume: null },
  participants: [],
  chat: [],
  state: { spotlight: null, recording: { active: false, startedAt: null }, screenShareAllowed: false, stage: null },
  poll: null,
  board: { open: false, blank: true, page: 0, drawers: [] },
  session: null,
  dataSaver: "off",
  localQuality: "unknown",
  suggestDataSaver: false,
  breakout: null,
  breakoutMessage: null,
};

export default function LiveSessionPage() {
  const loaded = useLoaderData<typeof loader>();
  if (loaded.refused || !loaded.user) {
    return <Refused reason={loaded.refused?.reason ?? "not_found"} opensAt={loaded.refused?.opensAt ?? null} sessionId={loaded.sessionId} title={loaded.title} />;
  }
  return <Live sessionId={loaded.sessionId} title={loaded.title ?? ""} user={loaded.user} host={"host" in loaded && !!loaded.host} />;
}

function Live({ sessionId, title, user, host }: { sessionId: string; title: string; user: { id: string; name: string; dates: DateOptions }; host: boolean }) {
  const [choices, setChoices] = useState<JoinChoices | null>(null);
  const [snapshot, setSnapshot] = useState<LiveSnapshot>(INITIAL);
  const [handleState, setHandleState] = useState<LiveRoomHandle | null>(null);
  const [session, setSession] = useState(0); // bumped by "Rejoin" after leaving
  const handleRef = useRef<LiveRoomHandle | null>(null);

  useEffect(() => {
    if (!choices) return;
    let cancelled = false;
    let roomHandle: LiveRoomHandle | null = null;
    setSnapshot(INITIAL);
    (async () => {
      try {
        const { joinRoom } = await import("~/domains/live/room-client");
        if (cancelled) return;
        roomHandle = joinRoom({
          roomId: sessionId,
          // The pre-join preview the first time; after "Rejoin", the devices are opened again.
          localStream: session === 0 ? choices.stream : null,
          media: session === 0 && !choices.stream ? false : choices.audioOnly ? { audio: true } : undefined,
          lowVideo: choices.lowVideo,
          hostCamera: host,
          dataSaver: choices.dataSaver,
          onChange: (next) => {
            if (!cancelled) setSnapshot(next);
          },
        });
        handleRef.current = roomHandle;
        setHandleState(roomHandle);
      } catch (error) {
        if (!cancelled) setSnapshot({ ...INITIAL, status: "error", error: { code: "load_failed", message: String(error) } });
      }
    })();
    return () => {
      cancelled = true;
      roomHandle?.leave();
      if (handleRef.current === roomHandle) handleRef.current = null;
    };
  }, [choices, sessionId, session, host]);

  const rejoin = useCallback(() => setSession((n) => n + 1), []);

  if (!choices) return <PreJoin title={title} host={host} onJoin={setChoices} />;
  return <LiveRoomView handle={handleState} snapshot={snapshot} user={user} sessionId={sessionId} onRejoin={rejoin} />;
}

function Refused({ reason, opensAt, sessionId, title }: { reason: string; opensAt: string | null; sessionId: string; title: string | null }) {
  const { t } = useTranslation("live");
  return (
    <div className="mx-auto max-w-lg px-4 py-16 text-center" data-testid="live-refused" data-reason={reason}>
      <h1 className="text-2xl font-bold">{title ?? t("refused.title")}</h1>
      <p className="mt-4 text-lg">{t(`refused.${reason}`)}</p>
      {opensAt ? <p className="mt-2 text-slate-600">{t("refused.opensAt", { when: opensAt })}</p> : null}
      <div className="mt-8 flex justify-center gap-3">
        {reason !== "not_found" && reason !== "not_invited" && reason !== "removed" ? (
          <Link to={`/sessions/${sessionId}`} className="rounded-md bg-brand-600 px-4 py-2 font-semibold text-white hover:bg-brand-700">
            {t("toSessionPage")}
          </Link>
        ) : null}
        <Link to="/live" className="rounded-md border border-slate-300 bg-white px-4 py-2 font-semibold text-slate-800 hover:bg-slate-100">
          {t("backToSessions")}
        </Link>
      </div>
    </div>
  );
}
