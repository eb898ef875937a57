// Every file a job leaves in a root's cache folder to be read again later carries `formatVersion`,
// raised whenever its layout changes in a way an older reader would misread. A reader knows the
// versions up to its own and refuses any other by name instead of misreading it; files written
// before the field existed have version 1.

export class UnknownFormatVersionError extends Error {
  override name = 'UnknownFormatVersionError';

  constructor(
    readonly file: string,
    readonly found: unknown,
    readonly newest: number,
  ) {
    const known = newest === 1 ? 'version 1' : `versions 1 to ${newest}`;
    const newer = typeof found === 'number' && found > newest;
    super(
      `${file} has format version ${JSON.stringify(found)}; this version of Dataset Curator reads ${known} only.` +
        (newer ? ' It was written by a newer Dataset Curator: update it, or run the job again to rewrite the file.' : ''),
    );
  }
}

/** The format version of a parsed file (1 when it has none); throws UnknownFormatVersionError for one above `newest` or not a version at all. */
export function checkFormatVersion(raw: Readonly<Record<string, unknown>>, newest: number, file: string): number {
  const version = raw.formatVersion ?? 1;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > newest) throw new UnknownFormatVersionError(file, raw.formatVersion, newest);
  return version;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
