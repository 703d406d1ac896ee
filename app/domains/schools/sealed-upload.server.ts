// The import page checks a file, shows the preview, and applies it on a second request.
// Between the two, the file travels in the page itself, compressed and encrypted
// (AES-256-GCM) for the admin who uploaded it, with a one-hour limit: nothing is kept on the
// server, any server process can apply it, and the ID numbers in it never appear in clear in
// the HTML.
import crypto from "node:crypto";
import zlib from "node:zlib";
import { derivedKey } from "~/domains/records/identity.server";

const MAX_AGE_MS = 60 * 60 * 1000;

export function sealUpload(userId: string, bytes: Uint8Array, now = Date.now()) {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", derivedKey("school-import/seal"), iv);
  cipher.setAAD(Buffer.from(userId));
  const header = Buffer.alloc(8);
  header.writeBigUInt64BE(BigInt(now));
  const body = Buffer.concat([cipher.update(Buffer.concat([header, zlib.deflateRawSync(bytes)])), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
}

/** The file, if it was sealed for this user less than an hour ago; otherwise null. */
export function unsealUpload(userId: string, sealed: string, now = Date.now()): Uint8Array | null {
  try {
    const raw = Buffer.from(sealed, "base64url");
    // iv (12) + a full 16-byte tag + at least the 8-byte timestamp: a shorter tag is never accepted.
    if (raw.length < 12 + 16 + 8) return null;
    const decipher = crypto.createDecipheriv("aes-256-gcm", derivedKey("school-import/seal"), raw.subarray(0, 12), { authTagLength: 16 });
    decipher.setAAD(Buffer.from(userId));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
    const sealedAt = Number(plain.readBigUInt64BE(0));
    if (now - sealedAt > MAX_AGE_MS || sealedAt - now > 60_000) return null;
    return new Uint8Array(zlib.inflateRawSync(plain.subarray(8), { maxOutputLength: 8 * 1024 * 1024 }));
  } catch {
    return null;
  }
}
