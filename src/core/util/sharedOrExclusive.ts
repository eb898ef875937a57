// A gate that lets many tasks run at once, or one task alone with none of the others running.
// Image decoding needs it: libvips keeps one error buffer for the whole process, so the message of
// a failed decode is only trustworthy when no other decode ran meanwhile.

export class SharedOrExclusive {
  private active = 0;
  private exclusive: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];

  /** Runs task alongside other shared tasks, after any exclusive task has finished. */
  async shared<T>(task: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    this.active++;
    try {
      return await task();
    } finally {
      this.active--;
      if (this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  /** Runs task once every running shared task has finished; shared tasks asked for meanwhile wait for it. */
  async alone<T>(task: () => Promise<T>): Promise<T> {
    while (this.exclusive) await this.exclusive;
    let release!: () => void;
    this.exclusive = new Promise<void>((resolve) => (release = resolve));
    try {
      while (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
      return await task();
    } finally {
      this.exclusive = undefined;
      release();
    }
  }
}
