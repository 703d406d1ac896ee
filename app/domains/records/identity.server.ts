// Real-name identity: a learner's ID number is stored encrypted (AES-256-GCM), with a keyed
// HMAC-SHA256 for exact look-ups (find a learner by ID without decrypting every row) and
// its last four characters for masked display.
//
// The master key is SKILLRELAY_SECRET_KEY (base64 of 32 bytes). When unset, a key is
// generated once and kept in .data/secret.key (or SKILLRELAY_SECRET_KEY_FILE), mode 600.
// Losing that key makes the stored ID numbers unreadable: back it up with the database.
// The encryption and HMAC keys are derived from it with HKDF, so neither is used for both.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { idNumberProblem, maskFromLast4, normalizeIdNumber } from "./id-number";

export { idNumberProblem, isValidIdNumber, maskFromLast4, maskIdNumber, normalizeIdNumber } from "./id-number";

const VERSION = "v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface Keys {
  enc: Buffer;
  mac: Buffer;
}
let cached: { source: string; keys: Keys } | undefined;

/** The folder holding package.json, wherever this module was bundled to (build/, app/…). */
let root: string | undefined;
function projectRoot() {
  if (root) return root;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, "package.json"))) {
    const up = path.dirname(dir);
    if (up === dir) return (root = process.cwd());
    dir = up;
  }
  return (root = dir);
}

export function secretKeyFile() {
  return path.resolve(process.env.SKILLRELAY_SECRET_KEY_FILE ?? path.join(projectRoot(), ".data/secret.key"));
}

function decodeKey(base64: string, where: string) {
  const key = Buffer.from(base64.trim(), "base64");
  if (key.length !== 32) throw new Error(`${where} must be 32 bytes encoded in base64 (got ${key.length} bytes)`);
  return key;
}

/** The master key: from the environment, else from the key file, created on first use. */
export function loadMasterKey(): Buffer {
  const fromEnv = process.env.SKILLRELAY_SECRET_KEY;
  if (fromEnv) return decodeKey(fromEnv, "SKILLRELAY_SECRET_KEY");
  const file = secretKeyFile();
  try {
    return decodeKey(fs.readFileSync(file, "utf8"), file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  try {
    // "wx": if another process created it a moment ago, keep theirs.
    fs.writeFileSync(file, crypto.randomBytes(32).toString("base64") + "\n", { flag: "wx", mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  return decodeKey(fs.readFileSync(file, "utf8"), file);
}

/** A 32-byte key for another purpose, derived from the master key (HKDF-SHA256, labelled). */
export function derivedKey(label: string) {
  return Buffer.from(crypto.hkdfSync("sha256", loadMasterKeyCached(), Buffer.alloc(0), `skillrelay/${label}`, 32));
}

let masterCache: { source: string; key: Buffer } | undefined;
function loadMasterKeyCached() {
  const source = process.env.SKILLRELAY_SECRET_KEY ?? `file:${secretKeyFile()}`;
  if (masterCache?.source !== source) masterCache = { source, key: loadMasterKey() };
  return masterCache.key;
}

function keys(): Keys {
  const source = process.env.SKILLRELAY_SECRET_KEY ?? `file:${secretKeyFile()}`;
  if (cached?.source === source) return cached.keys;
  const k = { enc: derivedKey("id-number/aes-256-gcm"), mac: derivedKey("id-number/hmac-sha256") };
  cached = { source, keys: k };
  return k;
}

export function encryptIdNumber(idNumber: string) {
  const iv = crypto.randomBytes(IV_BYTES);
  const cipher = crypto.createCipheriv("aes-256-gcm", keys().enc, iv);
  const body = Buffer.concat([cipher.update(normalizeIdNumber(idNumber), "utf8"), cipher.final()]);
  return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function decryptIdNumber(stored: string) {
  const [version, payload] = stored.split(":");
  if (version !== VERSION || !payload) throw new Error("Unknown ID number cipher format");
  const raw = Buffer.from(payload, "base64");
  // The tag length is pinned: GCM would otherwise accept a truncated tag (down to 4 bytes),
  // which a forger can guess.
  if (raw.length < IV_BYTES + TAG_BYTES + 1) throw new Error("ID number cipher text too short");
  const decipher = crypto.createDecipheriv("aes-256-gcm", keys().enc, raw.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
}

/** Deterministic keyed hash of the normalised number, for unique look-ups. */
export function idNumberLookupHash(idNumber: string) {
  return crypto.createHmac("sha256", keys().mac).update(normalizeIdNumber(idNumber)).digest("hex");
}

/** The three columns User stores for a (valid) ID number. */
export function protectIdNumber(raw: string) {
  const id = normalizeIdNumber(raw);
  const problem = idNumberProblem(id);
  if (problem) throw new Error(`Invalid ID number (${problem})`);
  return { idNumberCipher: encryptIdNumber(id), idNumberHash: idNumberLookupHash(id), idNumberLast4: id.slice(-4) };
}

/** For display: masked from the stored last four characters, never decrypting. */
export function maskedIdNumber(user: { idNumberLast4: string | null }) {
  return maskFromLast4(user.idNumberLast4);
}

/**
 * Who may write an account's identity fields (phone, ID number; e-mail on import): the
 * owner, or the organisation that created the account while it is still its learner there
 * (not superseded: the learner has not left it, the organisation still exists). Another
 * organisation the person merely joined never may. The records issue extends this with
 * "an organisation that verified the identity"; keep every identity write behind this.
 */
export type IdentityWriter = { kind: "owner"; userId: string } | { kind: "org"; orgId: string };

export function mayWriteIdentity(
  writer: IdentityWriter,
  account: { id: string; createdByOrgId: string | null; learnerOfOrgIds: readonly string[] },
) {
  if (writer.kind === "owner") return writer.userId === account.id;
  return account.createdByOrgId === writer.orgId && account.learnerOfOrgIds.includes(writer.orgId);
}
