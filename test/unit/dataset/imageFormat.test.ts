import * as assert from 'node:assert/strict';
import { formatFromFileName, IMAGE_EXTENSIONS, sniffImageFormat } from '../../../src/core/dataset/imageFormat';
import { imageBytes, type WritableFormat } from './fixtures';

describe('dataset/imageFormat', () => {
  it('knows the supported extensions, case-insensitively', () => {
    assert.deepEqual([...IMAGE_EXTENSIONS].sort(), ['.bmp', '.gif', '.jpeg', '.jpg', '.png', '.tif', '.tiff', '.webp']);
    assert.equal(formatFromFileName('a.JPG'), 'jpeg');
    assert.equal(formatFromFileName('a.Jpeg'), 'jpeg');
    assert.equal(formatFromFileName('scan.TIF'), 'tiff');
    assert.equal(formatFromFileName('x.tar.webp'), 'webp');
    assert.equal(formatFromFileName('notes.txt'), undefined);
    assert.equal(formatFromFileName('png'), undefined);
    assert.equal(formatFromFileName('.png.bak'), undefined);
  });

  for (const format of ['png', 'jpeg', 'webp', 'gif', 'tiff', 'bmp'] as WritableFormat[]) {
    it(`recognises real ${format} content`, async () => {
      assert.equal(sniffImageFormat(await imageBytes(format)), format);
    });
  }

  it('recognises big-endian TIFF and BigTIFF headers', () => {
    assert.equal(sniffImageFormat(Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8])), 'tiff');
    assert.equal(sniffImageFormat(Buffer.from([0x49, 0x49, 0x2b, 0x00, 8, 0, 0, 0])), 'tiff');
  });

  it('rejects text, empty and truncated content', async () => {
    assert.equal(sniffImageFormat(Buffer.alloc(0)), undefined);
    assert.equal(sniffImageFormat(Buffer.from('hello, I am not a picture')), undefined);
    assert.equal(sniffImageFormat(Buffer.from('BM is how this note starts')), undefined);
    assert.equal(sniffImageFormat(Buffer.from('RIFF\0\0\0\0WAVEfmt ')), undefined);
    assert.equal(sniffImageFormat((await imageBytes('png')).subarray(0, 7)), undefined);
  });
});
