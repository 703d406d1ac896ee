// Certificate codes: the public handle printed on a certificate and in its QR code.
// 16 characters of Crockford base32 (no I, L, O, U) from 10 random bytes = 80 bits: not
// guessable, and short enough to type. Shown in groups of four (ABCD-EFGH-JKMN-PQRS);
// typed input is normalised (case, spaces and dashes, O→0, I/L→1) before it is looked up.
export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 16;

/** 10 bytes (80 bits) → 16 base32 characters (5 bits each). */
export function encodeCode(bytes: Uint8Array): string {
  if (bytes.length !== 10) throw new Error("a certificate code takes exactly 10 bytes");
  let bits = 0;
  let value = 0;
  let out = "";
  for (const b of bytes) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += CODE_ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The code as printed: four groups of four. */
export function groupCode(code: string) {
  return code.match(/.{1,4}/g)?.join("-") ?? code;
}

/** A typed or scanned code in its stored form, or null when it cannot be one. */
export function normalizeCode(input: string): string | null {
  if (typeof input !== "string" || input.length > 40) return null;
  const s = input.toUpperCase().replace(/[\s-]/g, "").replace(/O/g, "0").replace(/[IL]/g, "1");
  if (s.length !== CODE_LENGTH) return null;
  for (const c of s) if (!CODE_ALPHABET.includes(c)) return null;
  return s;
}
