/**
 * A start-up failure the person starting the server can act on: its message is one line that
 * says what is wrong and what to do, printed without a stack trace (server/index.ts).
 */
export class StartupError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message.replace(/\s*\n\s*/g, " "));
    this.name = "StartupError";
  }
}
