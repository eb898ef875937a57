// Small DOM helpers for the webviews (plain DOM, no framework).

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function fmt(value: number): string {
  return value.toLocaleString('en');
}

/** A score or reason value as a short, readable number. */
export function fmtValue(value: number | string): string {
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return fmt(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(2) : value.toPrecision(3);
}
