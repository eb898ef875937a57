// Turns at a resource within this process, in the order they were asked for. The embedding cache
// uses it: a file lock cannot tell two users in one process apart (a review refresh and a job in
// the engine), so without turns the second would be refused as if another window held the cache.

/** Gives up the turn (or, for one still waiting, the place in the queue). Idempotent. */
export type ReleaseTurn = () => void;

const tails = new Map<string, Promise<void>>();

/**
 * Waits until every earlier turn at `key` is released, at most `waitMs`. Resolves with the release
 * function, or with undefined when the wait ran out; either way those queued after this turn keep
 * their order.
 */
export async function takeTurn(key: string, waitMs: number): Promise<ReleaseTurn | undefined> {
  const before = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = before.then(() => mine);
  tails.set(key, tail);
  let released = false;
  const releaseOnce: ReleaseTurn = () => {
    if (released) return;
    released = true;
    release();
    if (tails.get(key) === tail) tails.delete(key);
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = await Promise.race([
    before.then(() => false),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), waitMs))),
  ]);
  clearTimeout(timer);
  if (!timedOut) return releaseOnce;
  // Leaving the queue: whoever is behind this turn goes once those before it are done.
  void before.then(releaseOnce);
  return undefined;
}
