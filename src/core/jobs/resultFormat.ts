// Where the jobs keep their results in a root's cache folder, and the layout version the
// suggestion jobs write. No imports: the review panel's readers, the jobs and the saved selections
// share these names.

/** <cacheDir>/selections/: one <method>-<time>.json per selection, with a Markdown copy beside it. */
export const SELECTIONS_FOLDER = 'selections';

/** <cacheDir>/suggestions/: pll.json, moe.json, knn.json, issues.json, clusters.json, duplicates.json. */
export const SUGGESTIONS_FOLDER = 'suggestions';

/** Raised when a result file's layout changes in a way an older reader would misread. */
export const RESULT_FORMAT_VERSION = 1;

export const ISSUES_FILE = 'issues.json';
export const CLUSTERS_FILE = 'clusters.json';
export const DUPLICATES_FILE = 'duplicates.json';
