// Progress goes to stderr so stdout stays clean for results (and --json). On a terminal it
// rewrites one line; otherwise it prints a line at most every few seconds.

export class ProgressLine {
  private last = 0;
  private shown = false;
  private readonly tty = Boolean(process.stderr.isTTY);

  constructor(private readonly quiet: boolean) {}

  update(text: string): void {
    if (this.quiet) return;
    const now = Date.now();
    if (now - this.last < (this.tty ? 100 : 5000)) return;
    this.last = now;
    if (this.tty) {
      process.stderr.write(`\r\x1b[K${text}`);
      this.shown = true;
    } else {
      process.stderr.write(`${text}\n`);
    }
  }

  done(text?: string): void {
    if (this.quiet) return;
    if (this.shown) process.stderr.write('\r\x1b[K');
    this.shown = false;
    this.last = 0;
    if (text) process.stderr.write(`${text}\n`);
  }
}
