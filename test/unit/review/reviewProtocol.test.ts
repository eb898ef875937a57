// The review webview is untrusted input: the parser accepts exactly the protocol, and the host's
// message handler never passes a malformed message or a path outside the dataset root on to an action.

import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ReviewMessageHandler, type ReviewActions } from '../../../src/host/review/reviewMessageHandler';
import { parseLabel, parseReviewMessage, parseReviewPanelState, REVIEW_LIMITS, type ReviewReply } from '../../../src/shared/protocol/review';
import { tempDir } from '../../support/paths';

describe('parseReviewMessage', () => {
  it('accepts every message of the protocol and drops extra fields', () => {
    const accepted: [unknown, unknown][] = [
      [{ type: 'ready' }, { type: 'ready' }],
      [{ type: 'ready', root: '/data' }, { type: 'ready', root: '/data' }],
      [{ type: 'request', requestId: 3, request: { kind: 'page', view: 'unlabelled', offset: 120, count: 60 }, x: 1 }, { type: 'request', requestId: 3, request: { kind: 'page', view: 'unlabelled', offset: 120, count: 60 } }],
      [{ type: 'request', requestId: 0, request: { kind: 'details', relPath: 'a/b.png' } }, { type: 'request', requestId: 0, request: { kind: 'details', relPath: 'a/b.png' } }],
      [{ type: 'request', requestId: 4, request: { kind: 'details', relPath: 'a/b.png', view: 'clusters' } }, { type: 'request', requestId: 4, request: { kind: 'details', relPath: 'a/b.png', view: 'clusters' } }],
      [{ type: 'request', requestId: 9, request: { kind: 'projection' } }, { type: 'request', requestId: 9, request: { kind: 'projection' } }],
      [{ type: 'applyLabel', relPaths: ['a.png', 'a.png', 'b.png'], label: '  cat ' }, { type: 'applyLabel', relPaths: ['a.png', 'b.png'], label: 'cat' }],
      [{ type: 'pickLabel', relPaths: ['a.png'] }, { type: 'pickLabel', relPaths: ['a.png'] }],
      [{ type: 'markSkipped', relPaths: ['a.png'], skipped: false }, { type: 'markSkipped', relPaths: ['a.png'], skipped: false }],
      [{ type: 'selectRoot', root: '/data' }, { type: 'selectRoot', root: '/data' }],
      [{ type: 'openFile', relPath: 'x.jpg' }, { type: 'openFile', relPath: 'x.jpg' }],
      [{ type: 'refresh' }, { type: 'refresh' }],
      [{ type: 'undoLabel', relPaths: ['x'] }, { type: 'undoLabel' }],
      [{ type: 'labelGroup', view: 'clusters', groupId: '12', label: 'x' }, { type: 'labelGroup', view: 'clusters', groupId: '12' }],
      [{ type: 'createClassFromGroup', view: 'new-classes', groupId: '2', label: 'fox' }, { type: 'createClassFromGroup', view: 'new-classes', groupId: '2' }],
      [{ type: 'exportView', view: 'suggestions' }, { type: 'exportView', view: 'suggestions' }],
      [{ type: 'exportView', view: 'issues', relPaths: ['a.png', 'a.png'] }, { type: 'exportView', view: 'issues', relPaths: ['a.png'] }],
      [{ type: 'cancelOperation', now: true }, { type: 'cancelOperation' }],
      [{ type: 'acceptSuggestions', minProbability: 0.01, root: '/elsewhere' }, { type: 'acceptSuggestions' }],
      [{ type: 'stateChanged', state: { root: '/d', view: 'labelled', focusIndex: 3, savedAt: 1700000000000, evil: 1 } }, { type: 'stateChanged', state: { root: '/d', view: 'labelled', focusIndex: 3, savedAt: 1700000000000 } }],
      [{ type: 'stateChanged', state: { focusIndex: -4, view: '../x' } }, { type: 'stateChanged', state: {} }],
    ];
    for (const [raw, expected] of accepted) assert.deepEqual(parseReviewMessage(raw), expected, JSON.stringify(raw));
  });

  it('refuses malformed messages, unbounded sizes and labels that cannot name a class', () => {
    const refused: unknown[] = [
      null,
      'ready',
      [],
      { type: 'nope' },
      { type: 'request', requestId: -1, request: { kind: 'projection' } },
      { type: 'request', requestId: 1.5, request: { kind: 'projection' } },
      { type: 'request', requestId: 1, request: { kind: 'page', view: 'unlabelled', offset: 0, count: REVIEW_LIMITS.pageSize + 1 } },
      { type: 'request', requestId: 1, request: { kind: 'page', view: 'unlabelled', offset: -1, count: 10 } },
      { type: 'request', requestId: 1, request: { kind: 'page', view: '../x', offset: 0, count: 10 } },
      { type: 'request', requestId: 1, request: { kind: 'details', relPath: '' } },
      { type: 'request', requestId: 1, request: { kind: 'details', relPath: 'a.png', view: 7 } },
      { type: 'request', requestId: 1, request: { kind: 'details', relPath: 'a.png', view: 'Bad View' } },
      { type: 'applyLabel', relPaths: [], label: 'cat' },
      { type: 'applyLabel', relPaths: 'a.png', label: 'cat' },
      { type: 'applyLabel', relPaths: [7], label: 'cat' },
      { type: 'applyLabel', relPaths: Array.from({ length: REVIEW_LIMITS.batch + 1 }, (_, i) => `${i}.png`), label: 'cat' },
      { type: 'applyLabel', relPaths: ['a.png'], label: '../etc' },
      { type: 'applyLabel', relPaths: ['a.png'], label: 'a/b' },
      { type: 'applyLabel', relPaths: ['a.png'], label: '..' },
      { type: 'applyLabel', relPaths: ['a.png'], label: '   ' },
      { type: 'applyLabel', relPaths: ['a.png'], label: 'x'.repeat(REVIEW_LIMITS.label + 1) },
      { type: 'applyLabel', relPaths: ['a\u0000.png'], label: 'cat' },
      { type: 'markSkipped', relPaths: ['a.png'], skipped: 'yes' },
      { type: 'openFile', relPath: 'x'.repeat(REVIEW_LIMITS.path + 1) },
      { type: 'selectRoot' },
      { type: 'labelGroup', view: 'clusters' },
      { type: 'labelGroup', view: 'clusters', groupId: 3 },
      { type: 'labelGroup', view: 'clusters', groupId: '' },
      { type: 'labelGroup', view: 'clusters', groupId: '../1' },
      { type: 'labelGroup', view: 'clusters', groupId: 'x'.repeat(REVIEW_LIMITS.groupId + 1) },
      { type: 'labelGroup', view: 'Clusters!', groupId: '1' },
      { type: 'createClassFromGroup', view: 'new-classes' },
      { type: 'createClassFromGroup', view: 'new-classes', groupId: '../1' },
      { type: 'createClassFromGroup', view: 'new classes!', groupId: '1' },
      { type: 'exportView' },
      { type: 'exportView', view: '../selection' },
      { type: 'exportView', view: 'suggestions', relPaths: [] },
      { type: 'exportView', view: 'suggestions', relPaths: 'a.png' },
      { type: 'exportView', view: 'suggestions', relPaths: [null] },
      { type: 'exportView', view: 'suggestions', relPaths: Array.from({ length: REVIEW_LIMITS.batch + 1 }, (_, i) => `${i}.png`) },
      { type: 'cancelOperation ' },
      { type: 'stateChanged' },
      { type: 'stateChanged', state: 'labelled' },
      { type: 'stateChanged', state: [] },
    ];
    for (const raw of refused) assert.equal(parseReviewMessage(raw), undefined, JSON.stringify(raw)?.slice(0, 120));
    assert.equal(parseLabel('tab\there'), undefined);
    assert.equal(parseLabel('chat noir'), 'chat noir');
  });

  it('restores only well-formed panel state', () => {
    assert.deepEqual(parseReviewPanelState({ root: '/d', view: 'labelled', focusIndex: 4, showMap: true, evil: 1 }), { root: '/d', view: 'labelled', focusIndex: 4, showMap: true });
    assert.deepEqual(parseReviewPanelState({ root: 5, view: 'A B', focusIndex: -1, showMap: 'no', savedAt: 1.5 }), {});
    assert.deepEqual(parseReviewPanelState({ savedAt: 1700000000000 }), { savedAt: 1700000000000 });
    assert.deepEqual(parseReviewPanelState('x'), {});
  });
});

/** Records every action the handler lets through. */
function recordingActions(root: string): ReviewActions & { calls: { name: string; args: unknown[] }[]; replies: ReviewReply[] } {
  const calls: { name: string; args: unknown[] }[] = [];
  const replies: ReviewReply[] = [];
  const record =
    <R>(name: string, result: R) =>
    async (...args: unknown[]): Promise<R> => {
      calls.push({ name, args });
      return result;
    };
  const recorded: ReviewReply = { kind: 'error', message: 'recorded' };
  return {
    calls,
    replies,
    currentRoot: () => root,
    knownRoots: () => [root],
    ready: record('ready', undefined),
    page: record('page', recorded),
    details: record('details', recorded),
    projection: record('projection', recorded),
    applyLabel: record('applyLabel', undefined),
    pickLabel: record('pickLabel', undefined),
    markSkipped: record('markSkipped', undefined),
    selectRoot: record('selectRoot', undefined),
    openFile: record('openFile', undefined),
    refresh: record('refresh', undefined),
    undoLabel: record('undoLabel', undefined),
    labelGroup: record('labelGroup', undefined),
    createClassFromGroup: record('createClassFromGroup', undefined),
    exportView: record('exportView', undefined),
    cancelOperation: () => void calls.push({ name: 'cancelOperation', args: [] }),
    acceptSuggestions: record('acceptSuggestions', undefined),
    rememberState: (state) => void calls.push({ name: 'rememberState', args: [state] }),
    reply: (_id, reply) => replies.push(reply),
    reportError: (message) => calls.push({ name: 'reportError', args: [message] }),
  };
}

describe('ReviewMessageHandler', () => {
  let root: string;
  let outside: string;
  let cleanup: () => Promise<void>;
  before(async () => {
    const made = await tempDir('review-handler');
    cleanup = made.cleanup;
    root = join(made.dir, 'root');
    outside = join(made.dir, 'outside');
    await mkdir(join(root, 'unlabeled'), { recursive: true });
    await mkdir(outside, { recursive: true });
    await writeFile(join(root, 'unlabeled', 'a.png'), 'x');
    await writeFile(join(outside, 'secret.png'), 'x');
    await symlink(join(outside, 'secret.png'), join(root, 'unlabeled', 'link.png'));
  });
  after(() => cleanup());

  it('passes checked paths on and refuses (and logs) paths outside the root', async () => {
    const actions = recordingActions(root);
    const warnings: string[] = [];
    const handler = new ReviewMessageHandler(actions, (message) => warnings.push(message));
    await handler.handle({ type: 'applyLabel', relPaths: ['unlabeled/a.png'], label: 'cat' });
    assert.deepEqual(actions.calls, [{ name: 'applyLabel', args: [['unlabeled/a.png'], 'cat'] }]);

    for (const relPath of ['../outside/secret.png', '/etc/passwd', 'unlabeled/../../outside/secret.png', 'unlabeled/link.png', 'C:/Windows/win.ini', 'unlabeled/missing.png']) {
      await handler.handle({ type: 'applyLabel', relPaths: ['unlabeled/a.png', relPath], label: 'cat' });
      await handler.handle({ type: 'openFile', relPath });
      await handler.handle({ type: 'request', requestId: 1, request: { kind: 'details', relPath } });
    }
    assert.equal(actions.calls.length, 1, 'nothing outside the root reached an action');
    assert.equal(actions.replies.length, 6, 'every refused request still gets a reply');
    assert.ok(actions.replies.every((reply) => reply.kind === 'error'));
    assert.ok(warnings.length >= 12 && warnings.every((w) => /refused/.test(w)), warnings.join('\n'));

    await handler.handle({ type: 'selectRoot', root: '/somewhere/else' });
    assert.equal(actions.calls.length, 1);
  });

  it('exports only checked paths, and passes group labelling, cancel and checked panel state on', async () => {
    const actions = recordingActions(root);
    const warnings: string[] = [];
    const handler = new ReviewMessageHandler(actions, (message) => warnings.push(message));
    await handler.handle({ type: 'exportView', view: 'suggestions', relPaths: ['unlabeled/a.png', '../outside/secret.png'] });
    await handler.handle({ type: 'exportView', view: 'suggestions', relPaths: ['unlabeled/link.png'] });
    assert.deepEqual(actions.calls, [], 'an export naming a path outside the root is refused whole');
    assert.equal(warnings.length, 2);
    await handler.handle({ type: 'exportView', view: 'suggestions', relPaths: ['unlabeled/a.png'] });
    await handler.handle({ type: 'exportView', view: 'clusters' });
    await handler.handle({ type: 'labelGroup', view: 'clusters', groupId: '4' });
    await handler.handle({ type: 'createClassFromGroup', view: 'new-classes', groupId: '1' });
    await handler.handle({ type: 'cancelOperation' });
    await handler.handle({ type: 'acceptSuggestions', minProbability: 0.01 });
    await handler.handle({ type: 'stateChanged', state: { view: 'clusters', focusIndex: 2, root: 7 } });
    assert.deepEqual(actions.calls, [
      { name: 'exportView', args: ['suggestions', ['unlabeled/a.png']] },
      { name: 'exportView', args: ['clusters', undefined] },
      { name: 'labelGroup', args: ['clusters', '4'] },
      { name: 'createClassFromGroup', args: ['new-classes', '1'] },
      { name: 'cancelOperation', args: [] },
      { name: 'acceptSuggestions', args: [] },
      { name: 'rememberState', args: [{ view: 'clusters', focusIndex: 2 }] },
    ]);
  });

  it('survives thousands of malformed messages without throwing or acting on them', async () => {
    const actions = recordingActions(root);
    let warnings = 0;
    const handler = new ReviewMessageHandler(actions, () => warnings++);
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = <T>(values: T[]): T => values[Math.floor(random() * values.length)];
    const junk = (): unknown =>
      pick<unknown>([null, undefined, true, -1, 0.5, 1e12, NaN, '', 'unlabeled/a.png', '../outside/secret.png', '/etc/passwd', 'x'.repeat(5000), [], ['unlabeled/a.png'], ['../x', 'unlabeled/a.png'], {}, { kind: 'page' }, { kind: 'details', relPath: '../../x' }, { kind: 'projection' }]);
    const types = ['ready', 'request', 'applyLabel', 'pickLabel', 'markSkipped', 'selectRoot', 'openFile', 'refresh', 'undoLabel', 'toString', '__proto__', 42];
    const keys = ['type', 'requestId', 'request', 'relPaths', 'label', 'skipped', 'root', 'relPath', 'constructor'];
    for (let i = 0; i < 5000; i++) {
      const message: Record<string, unknown> = { type: pick(types) };
      for (const key of keys) if (random() < 0.5) message[key] = key === 'type' ? pick(types) : junk();
      await handler.handle(random() < 0.05 ? junk() : message);
    }
    // Whatever got through named only paths inside the root.
    for (const call of actions.calls) {
      const paths = call.name === 'applyLabel' || call.name === 'pickLabel' || call.name === 'markSkipped' ? (call.args[0] as string[]) : call.name === 'details' ? [call.args[0] as string] : [];
      for (const path of paths) assert.equal(path, 'unlabeled/a.png', `${call.name} got ${path}`);
      if (call.name === 'openFile') assert.equal(call.args[0], join(root, 'unlabeled', 'a.png'));
    }
    assert.ok(warnings > 1000, 'malformed messages are logged');
    assert.ok(actions.calls.some((call) => call.name === 'refresh'), 'some well-formed messages do get through');
  });
});
