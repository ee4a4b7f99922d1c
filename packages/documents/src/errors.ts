/** Where in its input a {@link DocumentFormatError} was found, as far as the reader knows. */
export interface FormatErrorLocation {
  /** 1-based line of a text input. */
  line?: number | undefined;
  /** 1-based column (UTF-16 code units) of a text input. */
  column?: number | undefined;
  /** 0-based byte offset of a binary input. */
  offset?: number | undefined;
}

/**
 * Input that is not a well-formed document stream: bad JSON or msgpack, truncated data, or an
 * item that is not a `[name, document]` pair. The message says where (line and column, byte
 * offset, or item index), so a user can find the fault in the file.
 */
export class DocumentFormatError extends Error {
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly offset: number | undefined;

  constructor(message: string, location: FormatErrorLocation = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = "DocumentFormatError";
    this.line = location.line;
    this.column = location.column;
    this.offset = location.offset;
  }
}
