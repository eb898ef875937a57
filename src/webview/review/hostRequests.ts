// Requests to the extension host, paired with their replies by id (the webview pulls its data).

import type { ReviewReply, ReviewRequest, ReviewWebviewMessage } from '../../shared/protocol/review';

export class HostRequests {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ReviewReply) => void>();

  constructor(private readonly send: (message: ReviewWebviewMessage) => void) {}

  request(request: ReviewRequest): Promise<ReviewReply> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(requestId, resolve);
      this.send({ type: 'request', requestId, request });
    });
  }

  /** Called with every reply from the host; replies to unknown ids (a reloaded view) are dropped. */
  settle(requestId: number, reply: ReviewReply): void {
    const resolve = this.pending.get(requestId);
    this.pending.delete(requestId);
    resolve?.(reply);
  }
}
