// Where uploaded bytes live. Disk by default (under the git-ignored data folder); the
// interface is what an S3-compatible store would implement later.
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import type { Readable } from "node:stream";

export interface Storage {
  /** A writable temporary location for an upload in progress. */
  tempPath(): Promise<string>;
  /** Moves a finished temporary file into storage under a new key. */
  commit(tempFile: string, extension: string): Promise<string>;
  read(key: string, range?: { start: number; end: number }): Readable;
  size(key: string): Promise<number>;
  remove(key: string): Promise<void>;
  /** Start-up clean-up of uploads cut off by a crash; the number of files removed. */
  sweepTemp(): Promise<number>;
  /** A local path for tools that need one (ffprobe); undefined for remote stores. */
  localPath(key: string): string | undefined;
}

export class DiskStorage implements Storage {
  constructor(private readonly root: string) {}

  private file(key: string) {
    if (!/^[a-z0-9/._-]+$/i.test(key) || key.includes("..")) throw new Error(`bad storage key ${key}`);
    return path.join(this.root, key);
  }

  async tempPath() {
    const dir = path.join(this.root, "tmp");
    await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
    // The writer's pid in the name lets a later start tell a crashed upload from a live one.
    return path.join(dir, `${process.pid}-${Date.now()}-${crypto.randomBytes(8).toString("hex")}.part`);
  }

  /**
   * At start-up: removes temporary files of uploads that can no longer finish — those of
   * processes that are gone (a crash, SIGKILL, power loss), of this pid (a recycled pid
   * has no upload yet), and unnamed leftovers. Uploads of another live process on the
   * same folder are kept. Returns the number of files removed.
   */
  async sweepTemp() {
    const dir = path.join(this.root, "tmp");
    let names: string[];
    try {
      names = await fsp.readdir(dir);
    } catch {
      return 0;
    }
    let removed = 0;
    for (const name of names) {
      const pid = Number(/^(\d+)-\d+-[0-9a-f]+\.part$/.exec(name)?.[1] ?? NaN);
      if (Number.isInteger(pid) && pid !== process.pid && processAlive(pid)) continue;
      await fsp.rm(path.join(dir, name), { recursive: true, force: true });
      removed++;
    }
    return removed;
  }

  async commit(tempFile: string, extension: string) {
    const id = crypto.randomBytes(16).toString("hex");
    const key = `files/${id.slice(0, 2)}/${id}${extension.replace(/[^a-z0-9.]/gi, "")}`;
    await fsp.mkdir(path.dirname(this.file(key)), { recursive: true });
    await fsp.rename(tempFile, this.file(key));
    return key;
  }

  read(key: string, range?: { start: number; end: number }) {
    return fs.createReadStream(this.file(key), range);
  }

  async size(key: string) {
    return (await fsp.stat(this.file(key))).size;
  }

  async remove(key: string) {
    await fsp.rm(this.file(key), { force: true });
  }

  localPath(key: string) {
    return this.file(key);
  }
}

function processAlive(pid: number) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The data folder for uploads (STORAGE_DIR, default .data/uploads); resumable uploads live under it too. */
export const STORAGE_ROOT = process.env.STORAGE_DIR ?? path.resolve(process.cwd(), ".data/uploads");
export const storage: Storage = new DiskStorage(STORAGE_ROOT);
