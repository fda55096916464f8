/**
 * One base for every error the bot raises on purpose. `message` is safe to show a user (it says
 * what went wrong and what to check); `detail` is for logs only. Neither may contain a secret:
 * messages are built from our own templates, never from request options.
 */
export class AppError<Code extends string = string> extends Error {
  readonly code: Code;
  readonly detail: string | undefined;

  constructor(code: Code, message: string, options: { detail?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.detail = options.detail;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
