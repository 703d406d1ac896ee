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
    await fsp.mkdir(dir, { recursive: true });
    return path.join(dir, `${Date.now()}-${crypto.randomBytes(8).toString("hex")}.part`);
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

const ROOT = process.env.STORAGE_DIR ?? path.resolve(process.cwd(), ".data/uploads");
export const storage: Storage = new DiskStorage(ROOT);
