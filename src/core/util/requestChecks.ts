// Checks on the parameters of an engine request, which arrive as untyped JSON: each throws the
// message the client shows when a field is missing or of the wrong type.

export function requireString(value: unknown, name: string): void {
  if (typeof value !== 'string' || value.length === 0) throw new Error(`Engine request needs a non-empty string "${name}".`);
}

export function requireStrings(value: unknown, name: string): void {
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) throw new Error(`Engine request needs "${name}" as a list of strings.`);
}

export function requireNumber(value: unknown, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`Engine request needs a number "${name}".`);
}

export function requireBoolean(value: unknown, name: string): void {
  if (typeof value !== 'boolean') throw new Error(`Engine request needs "${name}" as true or false.`);
}
