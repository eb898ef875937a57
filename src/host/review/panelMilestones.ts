// The review panel logs when it reaches each step of its first showing (webview ready, root read,
// first page), timed from its creation, so a slow first open can be taken apart from the log
// (bench/panel.ts reads these lines too).

export class PanelMilestones {
  private readonly createdAt = performance.now();
  private readonly reached = new Set<string>();

  constructor(private readonly log: (message: string) => void) {}

  /** Seconds since the panel was made, as logged. */
  since(): string {
    return ((performance.now() - this.createdAt) / 1000).toFixed(2);
  }

  /** Logs `message` with the time since creation, the first time `step` is reached only. */
  once(step: string, message: string): void {
    if (this.reached.has(step)) return;
    this.reached.add(step);
    this.log(`Review panel: ${message} ${this.since()} s after the panel was made.`);
  }
}
