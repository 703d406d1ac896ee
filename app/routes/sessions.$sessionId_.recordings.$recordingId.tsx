// A session recording, for the <video> on the session page: authorised like the page
// (host, admins, invited or booked learners), with HTTP Range support so players can seek.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/domains/auth/session.server";
import { getReadyRecording, openRecordingStream } from "~/domains/live/recordings.server";
import { checkAccess } from "~/domains/live/sessions.server";
import { rangedFileResponse } from "~/utils/http-range.server";

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
    "Cache-Control": "private, max-age=3600",
    "Content-Disposition": `inline; filename="recording-${recording.id}.webm"`,
  });
  return rangedFileResponse(request, recording.size, headers, (range) => openRecordingStream(recording.file, range));
}
