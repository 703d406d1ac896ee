/**
 * The pre-join screen: camera/microphone preview and pickers, "join with audio only",
 * "send low-quality video", the data-saver choice and the measured quality of the link.
 * Browser-only work happens in effects, so the server renders a usable shell.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { DataSaverMode, Quality } from "~/domains/live/room-client";
import { prejoinAdvice, type ConnectionHints } from "~/domains/live/client/advice";
import { cameraCapture, MIC_CAPTURE } from "~/domains/live/client/encodings";
import { QualityDot } from "./bits";

export interface JoinChoices {
  /** The previewed camera/microphone; null = none could be opened (join receive-only). */
  stream: MediaStream | null;
  audioOnly: boolean;
  lowVideo: boolean;
  dataSaver: DataSaverMode;
}

interface Devices {
  audio: MediaDeviceInfo[];
  video: MediaDeviceInfo[];
}

const AUDIO: MediaTrackConstraints = MIC_CAPTURE;

/** `host`: the session's host, whose camera is captured at 720p (three layers); others at 360p. */
export function PreJoin({ title, host = false, onJoin }: { title: string; host?: boolean; onJoin: (choices: JoinChoices) => void }) {
  const { t } = useTranslation("live");
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [devices, setDevices] = useState<Devices>({ audio: [], video: [] });
  const [audioId, setAudioId] = useState("");
  const [videoId, setVideoId] = useState("");
  const [audioOnly, setAudioOnly] = useState(false);
  const [lowVideo, setLowVideo] = useState(false);
  const [dataSaver, setDataSaver] = useState<DataSaverMode>("off");
  const [mediaError, setMediaError] = useState<string | null>(null);
  const [link, setLink] = useState<{ quality: Quality; rttMs: number | null; downMbps: number | null; saveData: boolean } | "measuring">("measuring");
  const streamRef = useRef<MediaStream | null>(null);
  /** The preview being opened: Join waits for it rather than joining without media. */
  const pendingRef = useRef<Promise<void> | null>(null);
  const [joining, setJoining] = useState(false);
  const joined = useRef(false);

  const replaceStream = useCallback((next: MediaStream | null) => {
    const old = streamRef.current;
    if (old && old !== next) for (const track of old.getTracks()) if (!next?.getTracks().includes(track)) track.stop();
    streamRef.current = next;
    setStream(next);
  }, []);

  // Preview with the chosen devices.
  useEffect(() => {
    let cancelled = false;
    pendingRef.current = (async () => {
      if (!navigator.mediaDevices?.getUserMedia) {
        setMediaError(t("mediaInsecure"));
        return;
      }
      const constraints: MediaStreamConstraints = {
        audio: { ...AUDIO, ...(audioId ? { deviceId: { exact: audioId } } : {}) },
        // The room sends this stream as it is: captured at the size its layers need.
        video: audioOnly ? false : { ...cameraCapture({ host, lowVideo: false }), ...(videoId ? { deviceId: { exact: videoId } } : {}) },
      };
      try {
        let next: MediaStream;
        try {
          next = await navigator.mediaDevices.getUserMedia(constraints);
        } catch (error) {
          if (error instanceof DOMException && error.name === "NotAllowedError") throw error;
          // No camera (or no microphone): take what there is.
          next = await navigator.mediaDevices.getUserMedia({ audio: constraints.audio }).catch(() =>
            navigator.mediaDevices.getUserMedia({ video: constraints.video }),
          );
        }
        if (cancelled) {
          for (const track of next.getTracks()) track.stop();
          return;
        }
        setMediaError(null);
        replaceStream(next);
        const list = await navigator.mediaDevices.enumerateDevices();
        if (!cancelled) {
          setDevices({
            audio: list.filter((d) => d.kind === "audioinput" && d.deviceId),
            video: list.filter((d) => d.kind === "videoinput" && d.deviceId),
          });
        }
      } catch (error) {
        if (cancelled) return;
        replaceStream(null);
        setMediaError(error instanceof DOMException && error.name === "NotAllowedError" ? t("mediaDenied") : t("mediaUnavailable"));
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [audioId, videoId, audioOnly, host, replaceStream, t]);

  // Stop the preview when leaving the page without joining.
  useEffect(
    () => () => {
      if (!joined.current) for (const track of streamRef.current?.getTracks() ?? []) track.stop();
    },
    [],
  );

  // Judge the link cheaply once: the browser's own connection hints and three one-byte
  // round trips (no download test: it took up to a minute on the links that need advice most).
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const connection = (navigator as Navigator & { connection?: ConnectionHints }).connection;
      const hints: ConnectionHints | null = connection
        ? { saveData: connection.saveData, effectiveType: connection.effectiveType, downlink: connection.downlink, rtt: connection.rtt }
        : null;
      let rttMs: number | null = null;
      try {
        const { measureRtt } = await import("~/domains/live/room-client");
        rttMs = await measureRtt();
      } catch {
        rttMs = null;
      }
      if (cancelled) return;
      const advice = prejoinAdvice(hints, rttMs);
      setLink({ quality: advice.quality, rttMs, downMbps: hints?.downlink ?? null, saveData: !!hints?.saveData });
      const suggested = advice.suggest;
      if (suggested) setDataSaver((mode) => (mode === "off" ? suggested : mode));
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  const join = async () => {
    setJoining(true);
    await pendingRef.current?.catch(() => undefined);
    joined.current = true;
    onJoin({ stream: streamRef.current, audioOnly, lowVideo: lowVideo && !audioOnly, dataSaver });
  };

  return (
    <div className="mx-auto grid max-w-4xl gap-6 px-4 py-6 md:grid-cols-2" data-testid="prejoin">
      <div>
        <h1 className="text-xl font-bold">{title}</h1>
        <p className="text-sm text-slate-600">{t("prejoin.lead")}</p>
        <div className="mt-3 aspect-video overflow-hidden rounded-xl bg-slate-900">
          {stream && stream.getVideoTracks().length > 0 ? (
            <Preview stream={stream} />
          ) : (
            <div className="flex h-full items-center justify-center px-4 text-center text-sm text-slate-300">
              {audioOnly ? t("prejoin.audioOnlyPreview") : t("prejoin.noCamera")}
            </div>
          )}
        </div>
        {mediaError ? (
          <p role="alert" className="mt-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
            {mediaError}
          </p>
        ) : null}
      </div>
      <div className="space-y-4">
        <div className="space-y-1">
          <label htmlFor="prejoin-mic" className="block text-sm font-medium text-slate-700">{t("prejoin.microphone")}</label>
          <select
            id="prejoin-mic"
            value={audioId}
            onChange={(e) => setAudioId(e.target.value)}
            className="block w-full rounded-md border border-slate-300 px-3 py-2"
          >
            <option value="">{t("prejoin.defaultDevice")}</option>
            {devices.audio.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>{d.label || t("prejoin.micN", { n: i + 1 })}</option>
            ))}
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor="prejoin-camera" className="block text-sm font-medium text-slate-700">{t("prejoin.camera")}</label>
          <select
            id="prejoin-camera"
            value={videoId}
            disabled={audioOnly}
            onChange={(e) => setVideoId(e.target.value)}
            className="block w-full rounded-md border border-slate-300 px-3 py-2 disabled:opacity-50"
          >
            <option value="">{t("prejoin.defaultDevice")}</option>
            {devices.video.map((d, i) => (
              <option key={d.deviceId} value={d.deviceId}>{d.label || t("prejoin.cameraN", { n: i + 1 })}</option>
            ))}
          </select>
        </div>
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-1"
            checked={audioOnly}
            onChange={(e) => setAudioOnly(e.target.checked)}
            data-testid="prejoin-audio-only"
          />
          <span>
            <span className="font-medium">{t("prejoin.audioOnly")}</span>
            <span className="block text-sm text-slate-600">{t("prejoin.audioOnlyHint")}</span>
          </span>
        </label>
        <label className="flex items-start gap-2">
          <input
            type="checkbox"
            className="mt-1"
            checked={lowVideo}
            disabled={audioOnly}
            onChange={(e) => setLowVideo(e.target.checked)}
            data-testid="prejoin-low-video"
          />
          <span>
            <span className="font-medium">{t("prejoin.lowVideo")}</span>
            <span className="block text-sm text-slate-600">{t("prejoin.lowVideoHint")}</span>
          </span>
        </label>
        <div className="space-y-1">
          <label htmlFor="prejoin-saver" className="block text-sm font-medium text-slate-700">{t("dataSaver.label")}</label>
          <select
            id="prejoin-saver"
            value={dataSaver}
            onChange={(e) => setDataSaver(e.target.value as DataSaverMode)}
            className="block w-full rounded-md border border-slate-300 px-3 py-2"
            data-testid="prejoin-data-saver"
          >
            <option value="off">{t("dataSaver.off")}</option>
            <option value="low">{t("dataSaver.low")}</option>
            <option value="audio">{t("dataSaver.audio")}</option>
          </select>
        </div>
        <p className="flex flex-wrap items-center gap-2 text-sm" data-testid="prejoin-link" data-quality={typeof link === "object" ? link.quality : link}>
          {link === "measuring" ? (
            t("prejoin.measuring")
          ) : (
            <>
              <QualityDot quality={link.quality} />
              {t(`quality.${link.quality}`)}
              {link.rttMs !== null ? <span>· {t("prejoin.linkRtt", { rtt: link.rttMs })}</span> : null}
              {link.downMbps ? <span>· {t("prejoin.linkDownlink", { mbps: link.downMbps })}</span> : null}
              {link.saveData ? (
                <span className="text-amber-700">{t("prejoin.saveDataAdvice")}</span>
              ) : link.quality === "poor" ? (
                <span className="text-amber-700">{t("prejoin.poorAdvice")}</span>
              ) : null}
            </>
          )}
        </p>
        <button
          type="button"
          onClick={() => void join()}
          disabled={joining}
          data-testid="prejoin-join"
          className="w-full rounded-md bg-brand-600 px-4 py-3 text-lg font-semibold text-white hover:bg-brand-700"
        >
          {joining ? t("connecting") : t("prejoin.join")}
        </button>
      </div>
    </div>
  );
}

function Preview({ stream }: { stream: MediaStream }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    el.srcObject = stream;
    el.play().catch(() => undefined);
  }, [stream]);
  return <video ref={ref} autoPlay playsInline muted className="h-full w-full -scale-x-100 object-cover" data-testid="prejoin-preview" />;
}
