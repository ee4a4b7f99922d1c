/**
 * The SPEC block grammar, over the line tokens of `lexer.ts`.
 *
 *   specFile     := bodyLine* ( headerBlock | scanBlock )*
 *   headerBlock  := FileStartLine bodyLine* ( EpochLine bodyLine* )?
 *                 | EpochLine bodyLine*
 *   scanBlock    := ScanStartLine bodyLine*
 *   bodyLine     := BlankLine | CommentLine | DataLines | OtherLine | record
 *   record       := ( ControlLine | McaLine ) ContinuationLines?
 *
 * The optional `EpochLine` of a `#F` header encodes the rule that `#E` starts a new header unless
 * it completes a header begun by `#F` (docs/spec-format.md §2.1): a second `#E`, or an `#E`
 * after a scan, is not a `bodyLine` and so opens a new block. The grammar only finds block starts;
 * everything inside a block is interpreted later, on demand.
 */
import type { IOrAlt, IToken } from "chevrotain";
import { EmbeddedActionsParser } from "./chevrotain.js";
import {
  allTokens,
  BlankLine,
  CommentLine,
  ContinuationLines,
  ControlLine,
  DataLines,
  EpochLine,
  FileStartLine,
  McaLine,
  OtherLine,
  ScanStartLine,
} from "./lexer.js";

/** Where the grammar saw a block begin. */
export interface BlockStart {
  kind: "header" | "scan";
  token: IToken;
}

/**
 * The grammar as a chevrotain parser. chevrotain's checks of the grammar (ambiguity, left
 * recursion) are skipped unless `validate` is set: they cost every start about 15 ms
 * (docs/performance.md, "CLI start-up") and the grammar is fixed, so test/lexer.test.ts runs
 * them.
 */
export class SpecGrammar extends EmbeddedActionsParser {
  /** Block starts of the current parse, in file order. */
  blockStarts: BlockStart[] = [];

  private bodyAlternatives: IOrAlt<unknown>[] | undefined;

  constructor(validate = false) {
    super(allTokens, { maxLookahead: 1, skipValidations: !validate });
    this.performSelfAnalysis();
  }

  public specFile = this.RULE("specFile", () => {
    // Lines before the first block form the preamble.
    this.MANY(() => this.SUBRULE(this.bodyLine));
    this.MANY2(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.headerBlock) },
        { ALT: () => this.SUBRULE(this.scanBlock) },
      ]),
    );
  });

  private headerBlock = this.RULE("headerBlock", () => {
    this.OR([
      {
        ALT: () => {
          const start = this.CONSUME(FileStartLine);
          this.ACTION(() => this.blockStarts.push({ kind: "header", token: start }));
          this.MANY(() => this.SUBRULE(this.bodyLine));
          this.OPTION(() => {
            this.CONSUME(EpochLine);
            this.MANY2(() => this.SUBRULE2(this.bodyLine));
          });
        },
      },
      {
        ALT: () => {
          const start = this.CONSUME2(EpochLine);
          this.ACTION(() => this.blockStarts.push({ kind: "header", token: start }));
          this.MANY3(() => this.SUBRULE3(this.bodyLine));
        },
      },
    ]);
  });

  private scanBlock = this.RULE("scanBlock", () => {
    const start = this.CONSUME(ScanStartLine);
    this.ACTION(() => this.blockStarts.push({ kind: "scan", token: start }));
    this.MANY(() => this.SUBRULE(this.bodyLine));
  });

  private bodyLine = this.RULE("bodyLine", () => {
    // The alternatives array is built once and reused: chevrotain's advice for hot ORs.
    this.OR(
      // biome-ignore lint/suspicious/noAssignInExpressions: lazy cache of the alternatives
      (this.bodyAlternatives ??= [
        { ALT: () => this.CONSUME(BlankLine) },
        { ALT: () => this.CONSUME(DataLines) },
        { ALT: () => this.CONSUME(CommentLine) },
        { ALT: () => this.SUBRULE(this.record) },
        { ALT: () => this.CONSUME(OtherLine) },
      ]),
    );
  });

  /** A control or MCA line with the continuation lines its trailing backslashes announced. */
  private record = this.RULE("record", () => {
    this.OR([{ ALT: () => this.CONSUME(ControlLine) }, { ALT: () => this.CONSUME(McaLine) }]);
    this.OPTION(() => this.CONSUME(ContinuationLines));
  });
}

/** The one grammar instance (chevrotain parsers are meant to be reused). */
const grammar = new SpecGrammar();

/** What the grammar found in a sequence of line tokens. */
export interface GrammarResult {
  blockStarts: BlockStart[];
  /** Parse errors; the lexer and grammar are total, so this stays empty unless there is a bug. */
  errors: string[];
}

/** Runs the block grammar over line tokens. */
export function parseBlocks(tokens: IToken[]): GrammarResult {
  grammar.input = tokens;
  grammar.blockStarts = [];
  grammar.specFile();
  const result = {
    blockStarts: grammar.blockStarts,
    errors: grammar.errors.map((error) => error.message),
  };
  grammar.blockStarts = [];
  grammar.input = [];
  return result;
}
