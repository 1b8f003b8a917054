/**
 * Bad input: a file that is missing, malformed or of the wrong kind, or a usage error.
 * The CLI turns it into exit code 2, the action into a failed step; the message always
 * names the file (when there is one) and what is wrong with it.
 */
export class InputError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(file ? `${file}: ${message}` : message);
    this.name = 'InputError';
  }
}

/** Error message of anything thrown, without the stack. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
