// Every message from a webview is untrusted: the parser must accept exactly the protocol and
// nothing else, whatever is thrown at it.

import assert from 'node:assert/strict';
import { parseSummaryMessage } from '../../../src/shared/protocol/summary';
import { parseEngineRequest } from '../../../src/core/engine/protocol';

describe('parseSummaryMessage', () => {
  it('accepts the messages of the protocol', () => {
    assert.deepEqual(parseSummaryMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseSummaryMessage({ type: 'runCommand', command: 'curator.scanWorkspace' }), {
      type: 'runCommand',
      command: 'curator.scanWorkspace',
    });
    assert.deepEqual(parseSummaryMessage({ type: 'openFile', root: '/data', relPath: 'a/b.png', extra: 1 }), {
      type: 'openFile',
      root: '/data',
      relPath: 'a/b.png',
    });
  });

  it('refuses commands outside the allow-list and malformed fields', () => {
    const refused: unknown[] = [
      null,
      undefined,
      42,
      'ready',
      [],
      [{ type: 'ready' }],
      {},
      { type: 'runCommand', command: 'workbench.action.terminal.new' },
      { type: 'runCommand' },
      { type: 'openFile', root: '/data' },
      { type: 'openFile', root: '/data', relPath: '' },
      { type: 'openFile', root: '/data', relPath: 'a\u0000b' },
      { type: 'openFile', root: '/data', relPath: 'x'.repeat(5000) },
      { type: 'openFile', root: 7, relPath: 'a.png' },
      { type: '__proto__' },
    ];
    for (const message of refused) assert.equal(parseSummaryMessage(message), undefined, JSON.stringify(message));
  });

  it('never throws and never accepts garbage in a fuzz run', () => {
    let seed = 12345;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const values = (): unknown => {
      const pick = Math.floor(random() * 9);
      return [null, true, random() * 1e6, 'ready', 'runCommand', 'openFile', {}, [], 'x'.repeat(Math.floor(random() * 5000))][pick];
    };
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const message: Record<string, unknown> = {};
      for (const key of ['type', 'command', 'root', 'relPath', 'id']) if (random() < 0.6) message[key] = values();
      const parsed = parseSummaryMessage(random() < 0.1 ? values() : message);
      if (parsed) {
        accepted++;
        // Whatever gets through is exactly a protocol message.
        assert.ok(['ready', 'runCommand', 'openFile'].includes(parsed.type));
        if (parsed.type === 'openFile') assert.ok(typeof parsed.root === 'string' && parsed.relPath.length <= 4096);
        if (parsed.type === 'runCommand') assert.ok(parsed.command.startsWith('curator.'));
      }
    }
    assert.ok(accepted > 0, 'the fuzz run should produce some valid messages too');
  });
});

describe('parseEngineRequest', () => {
  it('accepts calls to known methods and cancels', () => {
    assert.deepEqual(parseEngineRequest({ kind: 'call', id: 3, method: 'ping', params: {} }), { kind: 'call', id: 3, method: 'ping', params: {} });
    assert.deepEqual(parseEngineRequest({ kind: 'cancel', id: 3 }), { kind: 'cancel', id: 3 });
  });
  it('refuses unknown methods and malformed ids', () => {
    for (const request of [{ kind: 'call', id: 1, method: 'eval' }, { kind: 'call', id: 1.5, method: 'ping' }, { kind: 'call', method: 'ping' }, null, 'ping']) {
      assert.equal(parseEngineRequest(request), undefined, JSON.stringify(request));
    }
  });
});
