/** One entry point over the three flavours (`flavors/`); the contracts are in `contracts.ts`. */
import { unpackEventPage } from "@specx/documents";
import type { SpecWriter, SpecWriterOptions, TextSink } from "./contracts.js";
import { ApstoolsWriter } from "./flavors/apstools.js";
import { ApstoolsV1Writer } from "./flavors/apstools-v1.js";
import { SuitcaseWriter } from "./flavors/suitcase.js";

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
