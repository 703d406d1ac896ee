// Start-up sweep of partial files a crash leaves behind: uploads in progress (STORAGE_DIR/tmp)
// and recordings being finalised (RECORDINGS_DIR/<session>/<recording>.webm.part, written
// by server/live/Recorder.ts and renamed only once complete). No upload or recording of
// this process exists yet when it runs; a RECORDINGS_DIR belongs to one server process.
import fsp from "node:fs/promises";
import path from "node:path";
import { storage } from "~/domains/courses/storage.server";
import { recordingsDir } from "~/domains/live/recordings.server";

async function sweepPartialRecordings(root: string) {
  let removed = 0;
  let sessions: string[];
  try {
    sessions = await fsp.readdir(root);
  } catch {
    return 0;
  }
  for (const session of sessions) {
    const dir = path.join(root, session);
    const names = await fsp.readdir(dir).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith(".part")) continue;
      await fsp.rm(path.join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

export async function sweepLeftovers(log: (line: string) => void) {
  const uploads = await storage.sweepTemp();
  const recordings = await sweepPartialRecordings(recordingsDir());
  if (uploads + recordings > 0) {
    log(`removed partial files left by an earlier stop: ${uploads} upload(s), ${recordings} recording(s)`);
  }
}
