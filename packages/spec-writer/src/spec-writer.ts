/** One entry point over the three output layouts. */
import { unpackEventPage } from "@specx/documents";
import {
  type ApstoolsV1Layout,
  ApstoolsV1Writer,
  type HeaderSettings,
} from "./apstools-v1-writer.js";
import { ApstoolsWriter, type ApstoolsWriterOptions, type TextSink } from "./apstools-writer.js";
import type { Doc } from "./doc.js";
import { SuitcaseWriter } from "./suitcase-writer.js";

/** The output layouts. */
export type Flavor = "apstools" | "apstools-v1" | "suitcase";

/** Options of {@link createSpecWriter}. */
export interface SpecWriterOptions extends ApstoolsWriterOptions {
  /** Output layout; default `apstools`. */
  flavor?: Flavor;
  /** Variations of older apstools versions (flavour `apstools-v1`). */
  v1Layout?: Partial<ApstoolsV1Layout>;
}

/** What every flavour offers. */
export interface SpecWriter {
  /** Takes one document in stream order. */
  receive(name: string, doc: Doc): void;
  /** Adds a `#C` comment (apstools flavour; the suitcase layout has no place for one). */
  comment(text: string, time?: number): void;
  /** Warnings collected so far (values apstools could not write, ignored streams, …). */
  readonly warnings: readonly string[];
  /**
   * Starts a new file header block before the next scan, as a new writer session on the same
   * file does (apstools flavours); `settings` are that session's.
   */
  newHeader(settings?: HeaderSettings): void;
}

/** A writer of the chosen flavour over `sink`. */
export function createSpecWriter(sink: TextSink, options: SpecWriterOptions): SpecWriter {
  if (options.flavor === "apstools-v1") return new ApstoolsV1Writer(sink, options);
  if (options.flavor === "suitcase") {
    const writer = new SuitcaseWriter(sink, {
      fileName: options.fileName,
      ...(options.timeZone !== undefined ? { timeZone: options.timeZone } : {}),
      continuing: options.existing?.nonEmpty ?? false,
    });
    return {
      receive: (name, doc) => {
        // suitcase routes documents through event_model's DocumentRouter, which unpacks pages.
        if (name === "event_page")
          for (const event of unpackEventPage(doc)) writer.receive("event", event);
        else writer.receive(name, doc);
      },
      comment: () => {
        writer.warnings.push("the suitcase layout has no place for comments; comment dropped");
      },
      newHeader: () => {
        writer.warnings.push("the suitcase layout writes one header; newHeader ignored");
      },
      warnings: writer.warnings,
    };
  }
  return new ApstoolsWriter(sink, options);
}
