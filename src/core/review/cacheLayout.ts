// Where the review panel keeps its files in a root's cache folder. No imports: the extension host
// reads these names without loading the modules that write the files (sharp stays in the engine).

/** Thumbnails: <cacheDir>/thumbs/<sha256>.webp, previews in <cacheDir>/thumbs/<size>/. */
export const THUMBS_FOLDER = 'thumbs';
