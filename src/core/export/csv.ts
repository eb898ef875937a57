// CSV as RFC 4180 describes it: CRLF line ends, and a field holding a comma, a double quote or a
// line break is wrapped in double quotes with inner quotes doubled. pandas and Python's csv module
// read this back exactly.

import { csvField } from '../dataset/csv';

export { csvField };

export function csvRow(fields: readonly string[]): string {
  return fields.map((field) => csvField(field)).join(',') + '\r\n';
}
