export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Something the user gave (a file, a value) cannot be used, and the message says why in words meant
 * for them. The engine passes it on as such (code 'unusable-input', no stack), so a command shows the
 * message itself rather than an engine failure.
 */
export class UnusableInputError extends Error {}
