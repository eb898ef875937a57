// Choosing onnxruntime's execution provider: `auto` falls back to CPU and says why, `cuda` fails
// with a message that says what to install, `cpu` never tries a GPU. On a machine with the CUDA
// provider libraries installed, `auto` must pick CUDA instead; this machine has none, so the
// fallback is what runs here (bench/results/embed.md says what was and was not verified on a GPU).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { missingCudaProviderLibrary, openSession } from '../../../src/core/embed/executionProvider';
import { bundledModelDir } from '../../support/paths';

const modelPath = join(bundledModelDir, 'model.onnx');

describe('execution provider choice', function () {
  this.timeout(60_000);
  const missing = missingCudaProviderLibrary();

  it('cpu: never tries CUDA and says it was set', async () => {
    const opened = await openSession(modelPath, 'cpu');
    try {
      assert.equal(opened.provider, 'cpu');
      assert.match(opened.note, /CPU \(set by curator\.executionProvider\)/);
      assert.ok(opened.session.inputNames.length > 0);
    } finally {
      await opened.session.release();
    }
  });

  it('auto: CUDA when its provider library is installed, otherwise CPU with the reason', async () => {
    const opened = await openSession(modelPath, 'auto');
    try {
      if (missing) {
        assert.equal(opened.provider, 'cpu');
        assert.equal(opened.note, `CPU (CUDA unavailable: ${missing})`);
      } else {
        // The library is there; CUDA may still fail to start (no driver), and then the reason is onnxruntime's.
        assert.ok(opened.provider === 'cuda' || /^CPU \(CUDA unavailable: /.test(opened.note), opened.note);
      }
    } finally {
      await opened.session.release();
    }
  });

  it('cuda: fails with what to install when CUDA cannot start', async function () {
    if (!missing) this.skip(); // on a GPU machine this setting starts CUDA
    await assert.rejects(openSession(modelPath, 'cuda'), (error: Error) => {
      assert.match(error.message, /^The CUDA execution provider could not start: /);
      // Said without a native attempt: the missing library is the reason.
      assert.ok(error.message.includes(missing!), error.message);
      assert.match(error.message, /CUDA 12 and cuDNN 9/);
      assert.match(error.message, /curator\.executionProvider to "auto" or "cpu"/);
      return true;
    });
  });
});
