import assert from 'node:assert/strict';
import { windowPadding, zeroPaddingAmounts } from '../../../tools/keras-to-onnx/padding';

describe('keras-to-onnx: Keras padding as ONNX pads', () => {
  it("'same' with stride 1 pads a 3x3 window by one on every side", () => {
    assert.deepEqual(windowPadding('same', 14, 14, [3, 3], [1, 1]), { pads: [1, 1, 1, 1], outHeight: 14, outWidth: 14 });
  });

  it("'same' with stride 2 puts the odd extra row and column at the bottom and right, like TensorFlow", () => {
    // 224 -> 112 needs (112 - 1) * 2 + 3 - 224 = 1 padded row: TensorFlow adds it after, not before.
    assert.deepEqual(windowPadding('same', 224, 224, [3, 3], [2, 2]), { pads: [0, 0, 1, 1], outHeight: 112, outWidth: 112 });
  });

  it("'valid' pads nothing and drops rows the window cannot reach", () => {
    assert.deepEqual(windowPadding('valid', 225, 224, [3, 3], [2, 2]), { pads: [0, 0, 0, 0], outHeight: 112, outWidth: 111 });
  });

  it('accounts for dilation in the window span', () => {
    assert.deepEqual(windowPadding('same', 10, 10, [3, 3], [1, 1], [2, 2]), { pads: [2, 2, 2, 2], outHeight: 10, outWidth: 10 });
  });

  it('reads every ZeroPadding2D padding form', () => {
    assert.deepEqual(zeroPaddingAmounts(2), [[2, 2], [2, 2]]);
    assert.deepEqual(zeroPaddingAmounts([1, 3]), [[1, 1], [3, 3]]);
    assert.deepEqual(zeroPaddingAmounts([[0, 1], [0, 1]]), [[0, 1], [0, 1]]);
    assert.throws(() => zeroPaddingAmounts('same'));
  });
});
