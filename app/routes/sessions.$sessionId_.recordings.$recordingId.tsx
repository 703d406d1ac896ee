// A session recording, for the <video> on the session page: authorised like the page
// (host, admins, invited or booked learners), with HTTP Range support so players can seek.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { getReadyRecording, openRecordingStream, parseRange } from "~/domains/live/recordings.server";
import { checkAccess } from "~/domains/live/sessions.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = params.sessionId ?? "";
  const recordingId = params.recordingId ?? "";
  if (!/^[a-z0-9]{1,64}$/i.test(sessionId) || !/^[a-z0-9]{1,64}$/i.test(recordingId)) {
    throw new Response("Not found", { status: 404 });
  }
  const { view } = await checkAccess(user, sessionId);
  if (!view.ok) throw new Response(view.reason === "not_found" ? "Not found" : "Forbidden", { status: view.reason === "not_found" ? 404 : 403 });
  const recording = await getReadyRecording(sessionId, recordingId);
  if (!recording) throw new Response("Not found", { status: 404 });

  const headers = new Headers({
    "Content-Type": "video/webm",
    "Accept-Ranges": "bytes",
    "Cache-Control": "private, max-age=3600",
    "Content-Disposition": `inline; filename="recording-${recording.id}.webm"`,
  });
  const range = parseRange(request.headers.get("Range"), recording.size);
  if (range === "invalid") {
    headers.set("Content-Range", `bytes */${recording.size}`);
    return new Response(null, { status: 416, headers });
  }
  if (request.method === "HEAD") {
    headers.set("Content-Length", String(recording.size));
    return new Response(null, { status: 200, headers });
  }
  if (range) {
    headers.set("Content-Range", `bytes ${range.start}-${range.end}/${recording.size}`);
    headers.set("Content-Length", String(range.end - range.start + 1));
    return new Response(createReadableStreamFromReadable(openRecordingStream(recording.file, range)), { status: 206, headers });
  }
  headers.set("Content-Length", String(recording.size));
  return new Response(createReadableStreamFromReadable(openRecordingStream(recording.file)), { status: 200, headers });
}
