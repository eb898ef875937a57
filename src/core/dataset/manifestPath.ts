// Paths in a labels manifest are written by people and by scripts on any OS. They are normalised
// to the scan's form (relative, forward slashes) and refused when they could point outside the root.

export type ManifestPathResult =
  | { ok: true; relPath: string }
  | { ok: false; reason: 'empty' | 'outside-root'; message: string };

/**
 * Normalises a manifest path: back slashes become forward slashes, '.' segments and repeated
 * slashes go, '..' segments are resolved. Absolute paths, drive letters and anything that climbs
 * above the root are refused.
 */
export function normaliseManifestPath(raw: string): ManifestPathResult {
  const path = raw.replace(/\\/g, '/');
  if (path.trim() === '') return { ok: false, reason: 'empty', message: 'the path is empty' };
  if (path.startsWith('/')) {
    return { ok: false, reason: 'outside-root', message: `"${raw}" is an absolute path; paths must be relative to the dataset root` };
  }
  if (/^[A-Za-z]:/.test(path)) {
    return { ok: false, reason: 'outside-root', message: `"${raw}" starts with a drive letter; paths must be relative to the dataset root` };
  }
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) {
        return { ok: false, reason: 'outside-root', message: `"${raw}" leads outside the dataset root` };
      }
      segments.pop();
      continue;
    }
    segments.push(segment);
  }
  if (segments.length === 0) return { ok: false, reason: 'empty', message: `"${raw}" names the dataset root, not a file` };
  return { ok: true, relPath: segments.join('/') };
}
