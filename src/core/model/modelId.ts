// A model id names a cache folder on disk and is part of every cache key, so it is restricted to
// characters that are safe in a file name on every platform and cannot climb out of a folder.

const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const MODEL_ID_RULE = 'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters';

export function isSafeModelId(id: string): boolean {
  return MODEL_ID_PATTERN.test(id) && !id.includes('..');
}
