// Progress callbacks cross a process boundary (engine -> host -> notification), so a scan of
// 100,000 files must not call them 100,000 times.

export interface ProgressCounter {
  /** Counts one more file, reporting it if enough time has passed since the last report. */
  add(files?: number): void;
  /** Reports the final count unconditionally. */
  finish(): void;
}

export function throttledProgress(
  onProgress: ((filesSeen: number) => void) | undefined,
  intervalMs = 100,
): ProgressCounter {
  let filesSeen = 0;
  let lastReport = 0;
  return {
    add(files = 1) {
      filesSeen += files;
      if (!onProgress) return;
      const now = Date.now();
      if (now - lastReport >= intervalMs) {
        lastReport = now;
        onProgress(filesSeen);
      }
    },
    finish() {
      onProgress?.(filesSeen);
    },
  };
}
