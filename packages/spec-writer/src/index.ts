/**
 * @specx/spec-writer: bluesky runs (start, descriptor, event, event_page, stop documents) written
 * as SPEC data files, byte-compatible with apstools' SpecWriterCallback2.
 *
 * The writer is the subject of issue 3 and is not implemented yet; this package exists so the
 * workspace layout, build and test wiring are in place. It exports nothing so far.
 */
export {};
