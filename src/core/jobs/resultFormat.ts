// Where the suggestion jobs keep their latest results in a root's cache folder, and the layout
// version they write. No imports: the review panel's reader and the jobs share these names.

/** <cacheDir>/suggestions/: pll.json, moe.json, knn.json, issues.json, clusters.json, duplicates.json. */
export const SUGGESTIONS_FOLDER = 'suggestions';

/** Raised when a result file's layout changes in a way an older reader would misread. */
export const RESULT_FORMAT_VERSION = 1;

export const ISSUES_FILE = 'issues.json';
export const CLUSTERS_FILE = 'clusters.json';
export const DUPLICATES_FILE = 'duplicates.json';
