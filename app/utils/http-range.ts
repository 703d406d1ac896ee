// One HTTP Range parser for everything we serve with seeking (lesson media, session recordings).
// RFC 9110 §14: a unit we do not know is ignored (the whole file is sent); a "bytes=" range
// we cannot read or that lies outside the file is refused with 416 by the caller.

export type ByteRange = { start: number; end: number };

/**
 * One byte range ("bytes=a-b", "bytes=a-", "bytes=-n") within a file of `size` bytes.
 * - null: no Range, another unit, or several ranges (answered with the whole file).
 * - "invalid": a bytes range that is malformed or unsatisfiable (answer 416).
 */
export function parseRange(header: string | null | undefined, size: number): ByteRange | null | "invalid" {
  if (header == null) return null;
  const value = header.trim();
  const unit = /^([A-Za-z][A-Za-z0-9_-]*)\s*=/.exec(value);
  if (!unit || unit[1].toLowerCase() !== "bytes") return unit ? null : value === "" ? null : "invalid";
  const spec = value.slice(unit[0].length).trim();
  if (spec.includes(",")) return spec.split(",").every((part) => /^\s*(\d+-\d*|-\d+)\s*$/.test(part)) ? null : "invalid";
  const m = /^(\d*)-(\d*)$/.exec(spec);
  if (!m || (m[1] === "" && m[2] === "")) return "invalid";
  if (m[1].length > 15 || m[2].length > 15) return "invalid";
  let start: number;
  let end: number;
  if (m[1] === "") {
    const suffix = Number(m[2]);
    if (suffix === 0) return "invalid";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (size <= 0 || start >= size || start > end) return "invalid";
  return { start, end };
}
