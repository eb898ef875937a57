// CSV as RFC 4180 describes it: CRLF line ends, and a field holding a comma, a double quote or a
// line break is wrapped in double quotes with inner quotes doubled. pandas and Python's csv module
// read this back exactly.

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvRow(fields: readonly string[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}
