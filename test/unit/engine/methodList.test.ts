// The engine's method list is the one source of its names: the handler table answers exactly
// those methods, and the request check accepts exactly those.

import assert from 'node:assert/strict';
import { ENGINE_METHODS, parseEngineRequest } from '../../../src/core/engine/protocol';
import { REVIEW_ENGINE_METHODS } from '../../../src/core/review/reviewEngineMethods';
import { EngineHandlers } from '../../../src/engine/handlers';

describe('the engine method list', () => {
  const names = Object.keys(ENGINE_METHODS).sort();

  it('has a handler for every method and none for anything else', () => {
    const handlers = new EngineHandlers(() => undefined);
    assert.deepEqual(Object.keys(handlers.table).sort(), names);
    for (const name of names) assert.equal(typeof handlers.table[name as keyof typeof handlers.table], 'function', name);
  });

  it('takes in the review methods', () => {
    for (const name of Object.keys(REVIEW_ENGINE_METHODS)) assert.ok(names.includes(name), name);
  });

  it('is what incoming requests are checked against', () => {
    for (const method of names) assert.deepEqual(parseEngineRequest({ kind: 'call', id: 1, method, params: {} }), { kind: 'call', id: 1, method, params: {} });
    for (const method of ['toString', 'constructor', 'hasOwnProperty', '__proto__', 'review', 'Ping']) {
      assert.equal(parseEngineRequest({ kind: 'call', id: 1, method, params: {} }), undefined, method);
    }
  });

  it('answers a call through the table, checking the parameters', async () => {
    const handlers = new EngineHandlers(() => undefined);
    const signal = new AbortController().signal;
    const pong = await handlers.handle('ping', {}, signal, () => undefined);
    assert.equal(pong.pid, process.pid);
    await assert.rejects(handlers.handle('reviewPage', { view: 'all' }, signal, () => undefined), /root/);
    await assert.rejects(handlers.handle('scan', { folders: 'not a list' }, signal, () => undefined), /folders/);
    await assert.rejects(handlers.handle('planAnnotationImport', { root: '/data/pets', unlabeledFolderName: 'unlabeled' }, signal, () => undefined), /"file"/);
  });
});
