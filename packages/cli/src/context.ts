/** What a command module gets to register itself on the program. */
import type { CliIO } from "./io.js";

export interface CommandContext {
  io: CliIO;
  /** Sets the process exit status the command ends with. */
  setStatus(status: number): void;
}
