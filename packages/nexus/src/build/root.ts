/**
 * The attributes of `/` (docs/nexus.md): spec2nexus's, from the first
 * file header, plus NeXus's own on NXroot (fix #10). `@SPEC_epoch` comes only from `#E`: spec2nexus
 * computes it from `#D` in the local time zone when `#E` is missing, which no file says (fix #13).
 */
import type { FileHeader, SpecDate, SpecFile } from "@specx/spec-parser";
import { type Attributes, float64Scalar, int64Scalar, utf8, type Value } from "../tree/nodes.js";
import { isoDate } from "./dates.js";

export interface RootOptions {
  /** The path as the user gave it: `@SPEC_file` without `#F`, and `@file_name`. */
  path: string;
  /** The program that wrote the file, for `@creator` (specx's version). */
  creator: string;
  /** The time the file is written, ISO 8601, for `@file_time` (a volatile attribute). */
  fileTime: string;
  /** The HDF5 library's version, for `@HDF5_Version`. */
  hdf5Version: string;
  /** h5wasm's version, for `@h5wasm_version`. */
  h5wasmVersion: string;
}

export function rootAttributes(file: SpecFile, options: RootOptions): Attributes {
  const attrs: Attributes = new Map<string, Value>();
  attrs.set("NX_class", utf8("NXroot"));
  const headers = file.headers;
  // Scans before any `#F`/`#E` get a header of their own in spec2nexus (spec_common.py's
  // SPEC_Scan): it is then the first, with no name, epoch or comments.
  const firstScan = file.scanCount > 0 ? file.scanAt(0) : undefined;
  const implicit = firstScan !== undefined && firstScan.header === null;
  const first: FileHeader | undefined = implicit ? undefined : headers[0];
  attrs.set("SPEC_file", utf8(first?.fileName ?? headers[0]?.fileName ?? options.path));
  const epoch = first ? epochOf(first) : null;
  if (epoch !== null) attrs.set("SPEC_epoch", epoch);
  // A header without `#D` takes the date of its first scan that has one (spec_common.py's SPEC_Date).
  const headerDate = first?.date ?? firstDateUnder(file, first ?? null);
  const date = headerDate ? isoDate(headerDate) : null;
  if (date !== null) attrs.set("SPEC_date", utf8(date));
  attrs.set("SPEC_comments", utf8((first?.comments ?? []).map((c) => c.text).join("\n")));
  const user = first ? userOf(first) : null;
  if (user !== null) attrs.set("SPEC_user", utf8(user));
  attrs.set("SPEC_num_headers", int64Scalar(headers.length + (implicit ? 1 : 0)));
  attrs.set("file_name", utf8(options.path));
  attrs.set("file_time", utf8(options.fileTime));
  attrs.set("creator", utf8(options.creator));
  attrs.set("HDF5_Version", utf8(options.hdf5Version));
  attrs.set("h5wasm_version", utf8(options.h5wasmVersion));
  return attrs;
}

/** The date of the first scan under `header` (null: before any header) that has one. */
function firstDateUnder(file: SpecFile, header: FileHeader | null): SpecDate | null {
  for (let i = 0; i < file.scanCount; i++) {
    const scan = file.scanAt(i);
    if (!scan || scan.header?.index !== header?.index) continue;
    if (scan.date) return scan.date;
  }
  return null;
}

/** `#E` as written: an integer is int64, a number with a `.` float64 (as spec2nexus reads it). */
function epochOf(header: FileHeader): Value | null {
  if (header.epoch === null) return null;
  const line = header.lines.find((l) => l.kind === "epoch");
  const text = line?.text.replace(/^#E\s*/, "").trim() ?? String(header.epoch);
  return text.includes(".") ? float64Scalar(header.epoch) : int64Scalar(header.epoch);
}

/** `User = X` of the header's first comment, as spec2nexus's writer.py finds it. */
function userOf(header: FileHeader): string | null {
  const comment = header.comments[0]?.text;
  if (comment === undefined) return null;
  const at = comment.indexOf("User = ");
  if (at < 0) return null;
  const user = comment.slice(at).split("=")[1];
  return user === undefined ? null : user.trim();
}
