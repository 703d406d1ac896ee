import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  decryptIdNumber,
  encryptIdNumber,
  idNumberLookupHash,
  loadMasterKey,
  maskedIdNumber,
  protectIdNumber,
} from "~/domains/records/identity.server";
import { sealUpload, unsealUpload } from "~/domains/schools/sealed-upload.server";

const ID = "11010519491231002X";
const KEY_A = Buffer.alloc(32, 1).toString("base64");
const KEY_B = Buffer.alloc(32, 2).toString("base64");
let saved: { key?: string; file?: string };
let dir: string;

beforeEach(() => {
  saved = { key: process.env.SKILLRELAY_SECRET_KEY, file: process.env.SKILLRELAY_SECRET_KEY_FILE };
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "skillrelay-key-"));
});
afterEach(() => {
  for (const [env, value] of [["SKILLRELAY_SECRET_KEY", saved.key], ["SKILLRELAY_SECRET_KEY_FILE", saved.file]] as const) {
    if (value === undefined) delete process.env[env];
    else process.env[env] = value;
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("ID number encryption", () => {
  it("round-trips through AES-256-GCM, with a fresh IV each time", () => {
    process.env.SKILLRELAY_SECRET_KEY = KEY_A;
    const a = encryptIdNumber(ID);
    const b = encryptIdNumber("110105 19491231 002x");
    expect(a).toMatch(/^v1:/);
    expect(a).not.toContain(ID);
    expect(a).not.toBe(b);
    expect(decryptIdNumber(a)).toBe(ID);
    expect(decryptIdNumber(b)).toBe(ID);
  });

  it("detects tampering and refuses another key", () => {
    process.env.SKILLRELAY_SECRET_KEY = KEY_A;
    const stored = encryptIdNumber(ID);
    const raw = Buffer.from(stored.slice(3), "base64");
    raw[raw.length - 1] ^= 1;
    expect(() => decryptIdNumber(`v1:${raw.toString("base64")}`)).toThrow();
    process.env.SKILLRELAY_SECRET_KEY = KEY_B;
    expect(() => decryptIdNumber(stored)).toThrow();
  });

  it("looks numbers up by a keyed hash that is stable, normalised and key-dependent", () => {
    process.env.SKILLRELAY_SECRET_KEY = KEY_A;
    const h = idNumberLookupHash(ID);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(idNumberLookupHash("11010519491231002x")).toBe(h);
    process.env.SKILLRELAY_SECRET_KEY = KEY_B;
    expect(idNumberLookupHash(ID)).not.toBe(h);
  });

  it("stores cipher, hash and last four, shows only the last four, and rejects invalid numbers", () => {
    process.env.SKILLRELAY_SECRET_KEY = KEY_A;
    const stored = protectIdNumber(ID);
    expect(stored.idNumberLast4).toBe("002X");
    expect(decryptIdNumber(stored.idNumberCipher)).toBe(ID);
    expect(maskedIdNumber(stored)).toBe("**************002X");
    expect(() => protectIdNumber("110105194912310021")).toThrow(/checksum/);
  });

  it("rejects a key of the wrong size", () => {
    process.env.SKILLRELAY_SECRET_KEY = Buffer.alloc(16).toString("base64");
    expect(() => loadMasterKey()).toThrow(/32 bytes/);
  });

  it("without SKILLRELAY_SECRET_KEY, generates a key file once (mode 600) and keeps using it", () => {
    delete process.env.SKILLRELAY_SECRET_KEY;
    process.env.SKILLRELAY_SECRET_KEY_FILE = path.join(dir, "nested", "secret.key");
    const first = loadMasterKey();
    expect(first).toHaveLength(32);
    expect(fs.statSync(process.env.SKILLRELAY_SECRET_KEY_FILE).mode & 0o777).toBe(0o600);
    expect(loadMasterKey().equals(first)).toBe(true);
    const stored = encryptIdNumber(ID);
    expect(decryptIdNumber(stored)).toBe(ID);
  });
});

describe("sealed import files", () => {
  it("opens only for the same user, within the hour, untampered", () => {
    process.env.SKILLRELAY_SECRET_KEY = KEY_A;
    const bytes = new TextEncoder().encode(`name,phone,id_number\n李娟,13800138000,${ID}\n`);
    const now = Date.now();
    const sealed = sealUpload("user-1", bytes, now);
    expect(sealed).not.toContain("13800138000");
    expect(Buffer.from(sealed, "base64url").includes(Buffer.from(ID))).toBe(false);
    expect(unsealUpload("user-1", sealed, now + 1000)).toEqual(bytes);
    expect(unsealUpload("user-2", sealed, now + 1000)).toBeNull();
    expect(unsealUpload("user-1", sealed, now + 61 * 60 * 1000)).toBeNull();
    expect(unsealUpload("user-1", sealed.slice(0, -2) + "AA", now)).toBeNull();
  });
});
