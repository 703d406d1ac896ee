import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptIdNumber, derivedKey, encryptIdNumber } from "~/domains/records/identity.server";

process.env.SKILLRELAY_SECRET_KEY ??= Buffer.alloc(32, 7).toString("base64");

describe("ID number cipher (AES-256-GCM) pins the tag length", () => {
  it("refuses a stored value with a truncated tag that GCM would otherwise accept", () => {
    // A forger who guessed 4 tag bytes: iv | first 4 bytes of the real tag of "", no body.
    // Without authTagLength this decrypts (to "") instead of being refused.
    const key = derivedKey("id-number/aes-256-gcm");
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
    cipher.final();
    const forged = `v1:${Buffer.concat([iv, cipher.getAuthTag().subarray(0, 4)]).toString("base64")}`;
    expect(() => decryptIdNumber(forged)).toThrow(/too short/);
  });

  it("refuses a 16-byte tag moved into a shorter slot and still round-trips real values", () => {
    const stored = encryptIdNumber("11010519491231002X");
    expect(decryptIdNumber(stored)).toBe("11010519491231002X");
    const raw = Buffer.from(stored.slice(3), "base64");
    expect(() => decryptIdNumber(`v1:${raw.subarray(0, 20).toString("base64")}`)).toThrow();
    expect(() => decryptIdNumber(`v1:${raw.subarray(0, 28).toString("base64")}`)).toThrow(/too short/);
  });
});
