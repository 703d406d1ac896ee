// What a hand-in may hold (issue 11, docs/decisions/025-resumable-hand-ins.md). Shared by the
// browser (picker, downscaling) and the server (the tus endpoint enforces every number here).

export const HAND_IN_UPLOAD_PATH = "/uploads/hand-ins";

const MB = 1024 * 1024;

export type HandInFileKind = "photo" | "video" | "file";

/** One file of a hand-in as pages show it (served by /media/:id). */
export type HandInFile = { id: string; name: string; kind: HandInFileKind; mimeType: string };

export const HAND_IN_TYPES: Record<HandInFileKind, string[]> = {
  photo: ["image/jpeg", "image/png", "image/webp"],
  video: ["video/mp4", "video/webm", "video/quicktime"],
  file: [
    "application/pdf",
    "application/zip",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
  ],
};

export const HAND_IN_LIMITS = {
  /** Per file, by kind. */
  maxBytes: { photo: 20 * MB, video: 200 * MB, file: 20 * MB } satisfies Record<HandInFileKind, number>,
  /** Files in one submission. */
  filesPerSubmission: 10,
  /** One user's uploads not yet part of a submission (started or finished). */
  pendingUploads: 20,
  pendingBytes: 1024 * MB,
  /** An unfinished upload is removed this long after it was started. */
  expireAfterMs: 24 * 60 * 60 * 1000,
  /** A finished upload never handed in is removed after this long. */
  keepUnusedMs: 7 * 24 * 60 * 60 * 1000,
  /** Photos are downscaled in the browser to this longest side before upload. */
  photoLongestSide: 2000,
};

/** The kind of a MIME type (declared or detected); null when hand-ins do not take it. */
export function handInKind(mime: string): HandInFileKind | null {
  for (const kind of ["photo", "video", "file"] as const) if (HAND_IN_TYPES[kind].includes(mime)) return kind;
  return null;
}

/** What the file picker accepts. */
export const HAND_IN_ACCEPT = [...HAND_IN_TYPES.photo, ...HAND_IN_TYPES.video, ...HAND_IN_TYPES.file].join(",");
