// Starts the engine process on demand and talks to it through the typed RPC in protocol.ts.
// If the engine dies (a native crash, an out-of-memory kill), every pending call fails with
// EngineCrashedError and the next call starts a fresh engine: a crash is reported, never fatal.

import { fork, type ChildProcess } from 'node:child_process';
import type { EngineErrorPayload, EngineMethod, EngineMethods, EngineReply, EngineRequest } from './protocol';

export class EngineCrashedError extends Error {
  constructor(readonly exitDescription: string) {
    super(`The Dataset Curator engine process stopped unexpectedly (${exitDescription}). The next command starts a new one.`);
  }
}

export class EngineCallError extends Error {
  constructor(readonly payload: EngineErrorPayload) {
    super(payload.message);
  }
  get cancelled(): boolean {
    return this.payload.code === 'cancelled';
  }
  /** What the user gave cannot be used: the message says why, for them. */
  get unusableInput(): boolean {
    return this.payload.code === 'unusable-input';
  }
}

export interface EngineClientOptions {
  /** Path of the bundled engine entry (dist/engine.js). */
  enginePath: string;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Extra environment for the engine (e.g. thread counts). */
  env?: NodeJS.ProcessEnv;
}

export interface CallOptions<P> {
  signal?: AbortSignal;
  onProgress?: (progress: P) => void;
}

interface PendingCall {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: unknown) => void;
}

export class EngineClient {
  private child: ChildProcess | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, PendingCall>();
  private disposed = false;

  constructor(private readonly options: EngineClientOptions) {}

  /** Process id of the running engine, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  call<M extends EngineMethod>(
    method: M,
    params: EngineMethods[M]['params'],
    options: CallOptions<EngineMethods[M]['progress']> = {},
  ): Promise<EngineMethods[M]['result']> {
    if (this.disposed) return Promise.reject(new Error('The engine client has been disposed.'));
    if (options.signal?.aborted) return Promise.reject(cancelledError());
    const child = this.ensureStarted();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const onAbort = (): void => this.send(child, { kind: 'cancel', id });
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        options.signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (value) => {
          settle();
          resolve(value as EngineMethods[M]['result']);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
        onProgress: options.onProgress as ((progress: unknown) => void) | undefined,
      });
      this.send(child, { kind: 'call', id, method, params });
    });
  }

  /** Stops the engine; pending calls fail. A later call starts a new one. */
  restart(): void {
    this.child?.kill();
  }

  dispose(): void {
    this.disposed = true;
    this.child?.kill();
  }

  private ensureStarted(): ChildProcess {
    if (this.child && this.child.exitCode === null && this.child.signalCode === null) return this.child;
    const child = fork(this.options.enginePath, [], {
      // 'advanced' serialisation carries typed arrays without JSON round trips.
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      // Inside VS Code's Electron extension host, fork must run the binary as plain Node.
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      execArgv: [],
    });
    this.child = child;
    this.options.log?.('info', `Engine process started (pid ${child.pid}).`);
    child.stdout?.on('data', (chunk: Buffer) => this.options.log?.('info', `engine: ${chunk.toString().trimEnd()}`));
    child.stderr?.on('data', (chunk: Buffer) => this.options.log?.('warn', `engine: ${chunk.toString().trimEnd()}`));
    child.on('message', (message: EngineReply) => this.onReply(message));
    child.on('error', (error) => this.options.log?.('error', `Engine process error: ${error.message}`));
    child.on('exit', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const description = signal ? `signal ${signal}` : `exit code ${code}`;
      if (this.pending.size > 0 || (!this.disposed && code !== 0)) {
        this.options.log?.('error', `Engine process ${child.pid} stopped (${description}).`);
      }
      const crashed = new EngineCrashedError(description);
      for (const call of [...this.pending.values()]) call.reject(crashed);
    });
    return child;
  }

  private send(child: ChildProcess, request: EngineRequest): void {
    if (!child.connected) return; // the exit handler rejects what is pending
    child.send(request);
  }

  private onReply(reply: EngineReply): void {
    if (reply.kind === 'log') {
      this.options.log?.(reply.level, reply.message);
      return;
    }
    const call = this.pending.get(reply.id);
    if (!call) return;
    if (reply.kind === 'progress') call.onProgress?.(reply.progress);
    else if (reply.kind === 'result') call.resolve(reply.result);
    else call.reject(new EngineCallError(reply.error));
  }
}

function cancelledError(): EngineCallError {
  return new EngineCallError({ message: 'Cancelled.', code: 'cancelled' });
}
