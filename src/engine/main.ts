// The engine process: the only place where onnxruntime and sharp run, so their blocking native
// calls never stall the VS Code extension host. It answers requests from one parent over IPC.

import { parseEngineRequest, type EngineErrorPayload, type EngineReply } from '../core/engine/protocol';
import { UnusableInputError } from '../core/util/errors';
import { EngineHandlers } from './handlers';

if (!process.send) {
  console.error('The engine process must be started by an engine client (it talks over IPC).');
  process.exit(2);
}

const reply = (message: EngineReply): void => {
  if (process.connected) process.send!(message);
};
const handlers = new EngineHandlers((level, message) => reply({ kind: 'log', level, message }));
const running = new Map<number, AbortController>();

process.on('message', (raw: unknown) => {
  const request = parseEngineRequest(raw);
  if (!request) {
    const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
    reply({ kind: 'error', id, error: { message: 'Malformed engine request.', code: 'bad-request' } });
    return;
  }
  if (request.kind === 'cancel') {
    running.get(request.id)?.abort();
    return;
  }
  const controller = new AbortController();
  running.set(request.id, controller);
  handlers
    .handle(request.method, request.params, controller.signal, (progress) => reply({ kind: 'progress', id: request.id, progress }))
    .then(
      (result) => reply({ kind: 'result', id: request.id, result }),
      (error: unknown) => reply({ kind: 'error', id: request.id, error: errorPayload(error, controller.signal.aborted) }),
    )
    .finally(() => running.delete(request.id));
});

/** A cancel wins over whatever the handler threw on its way out; a user's unusable input needs no stack. */
function errorPayload(error: unknown, cancelled: boolean): EngineErrorPayload {
  if (cancelled) return { message: 'Cancelled.', code: 'cancelled' };
  if (error instanceof UnusableInputError) return { message: error.message, code: 'unusable-input' };
  const message = error instanceof Error ? error.message : String(error);
  return { message, code: 'failed', stack: error instanceof Error ? error.stack : undefined };
}

// The parent went away (VS Code closed or crashed): nothing left to serve.
process.on('disconnect', () => process.exit(0));
