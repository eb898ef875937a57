// Which labels can be written. In a folder dataset the label becomes a folder name, so it must be a
// valid name on Windows, macOS and Linux alike: a dataset is often made on one and trained on
// another. A manifest stores the label as text, which only has to survive one CSV/JSONL line.

/** Characters Windows refuses in names (the slash is also the separator everywhere else). */
const FORBIDDEN_CHARACTERS = /[/\\:*?"<>|]/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;
/** Device names Windows reserves with or without an extension (`CON`, `con.txt`, `COM1`...). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
/** Most file systems (ext4, APFS, NTFS) allow 255 bytes or UTF-16 units per name; bytes is the stricter. */
export const MAX_LABEL_BYTES = 255;

/**
 * Why `label` cannot name a class folder, or undefined when it can. `unlabeledFolderName` is
 * refused too: a "class" of that name would be read back as unlabelled.
 */
export function folderLabelProblem(label: string, unlabeledFolderName: string): string | undefined {
  if (label.length === 0) return 'the label is empty';
  if (label === '.' || label === '..') return `"${label}" is not a usable folder name`;
  const forbidden = FORBIDDEN_CHARACTERS.exec(label);
  if (forbidden) return `"${label}" contains "${forbidden[0]}", which is not allowed in folder names on Windows`;
  if (CONTROL_CHARACTERS.test(label)) return `"${printable(label)}" contains a control character (such as a line break or tab)`;
  if (/[. ]$/.test(label)) return `"${label}" ends with a dot or a space, which Windows removes from folder names`;
  if (/^\s|\s$/.test(label)) return `"${label}" starts or ends with white space`;
  if (WINDOWS_RESERVED.test(label)) return `"${label}" is a device name reserved by Windows`;
  if (label.startsWith('.')) return `"${label}" starts with a dot: hidden folders are not scanned, so the images would disappear from the dataset`;
  if (label === 'node_modules') return '"node_modules" folders are not scanned, so the images would disappear from the dataset';
  if (Buffer.byteLength(label, 'utf8') > MAX_LABEL_BYTES) return `the label is longer than ${MAX_LABEL_BYTES} bytes, the folder-name limit of common file systems`;
  if (label.toLowerCase() === unlabeledFolderName.toLowerCase()) {
    return `"${label}" is the folder for unlabelled images; to unlabel an image, remove its label instead`;
  }
  return undefined;
}

/** Why `label` cannot be stored in a labels.csv / labels.jsonl row, or undefined when it can. */
export function manifestLabelProblem(label: string): string | undefined {
  if (label.trim().length === 0) return 'the label is empty (to unlabel an image, remove its label instead)';
  if (/[\r\n]/.test(label)) return 'the label contains a line break';
  if (label.trim() !== label) return `"${label}" starts or ends with white space, which is dropped when the manifest is read`;
  return undefined;
}

function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
