// The per-image statistics on synthetic pixel arrays whose values are known by construction.
import assert from 'node:assert/strict';
import { laplacianVariance, pixelStats, STATS_FIELDS, statsFromRecord, statsToRecord, type RawPixels } from '../../../src/core/quality/imageStats';

const SIZE = 32;

/** An RGB image from a function of (x, y) giving [r, g, b]. */
function rgb(pixel: (x: number, y: number) => [number, number, number]): RawPixels {
  const bytes = new Uint8Array(SIZE * SIZE * 3);
  for (let y = 0; y < SIZE; y++) for (let x = 0; x < SIZE; x++) bytes.set(pixel(x, y), (y * SIZE + x) * 3);
  return { bytes, width: SIZE, height: SIZE, channels: 3 };
}

/** A colourful, sharp test card: a checkerboard of 2-pixel squares in two colours. */
const checker = (x: number, y: number): [number, number, number] => ((Math.floor(x / 2) + Math.floor(y / 2)) % 2 === 0 ? [200, 60, 40] : [40, 120, 220]);

describe('image statistics', () => {
  it('a flat grey image: its level as brightness, no contrast, sharpness or saturation, zero entropy', () => {
    const stats = pixelStats(rgb(() => [51, 51, 51]));
    assert.ok(Math.abs(stats.brightness - 0.2) < 1e-6, `brightness ${stats.brightness}`);
    assert.equal(stats.contrast, 0);
    assert.equal(stats.sharpness, 0);
    assert.equal(stats.entropy, 0);
    assert.equal(stats.saturation, 0);
  });

  it('black and white halves: 1 bit of entropy, contrast 0.5, brightness 0.5', () => {
    const stats = pixelStats(rgb((x) => (x < SIZE / 2 ? [0, 0, 0] : [255, 255, 255])));
    assert.ok(Math.abs(stats.entropy - 1) < 1e-9);
    assert.ok(Math.abs(stats.contrast - 0.5) < 1e-6);
    assert.ok(Math.abs(stats.brightness - 0.5) < 1e-6);
  });

  it('sharpness does not change when an image is darkened, and falls when it is blurred', () => {
    const sharp = pixelStats(rgb(checker));
    const dark = pixelStats(rgb((x, y) => checker(x, y).map((v) => Math.round(v / 4)) as [number, number, number]));
    assert.ok(Math.abs(dark.sharpness - sharp.sharpness) / sharp.sharpness < 0.05, `${dark.sharpness} vs ${sharp.sharpness}`);
    assert.ok(dark.brightness < sharp.brightness / 3);
    // A smooth ramp has the same range of values but almost no second derivative.
    const ramp = pixelStats(rgb((x) => [Math.round((x * 255) / (SIZE - 1)), 0, 0]));
    assert.ok(ramp.sharpness < sharp.sharpness / 100, `ramp ${ramp.sharpness} vs checker ${sharp.sharpness}`);
  });

  it('saturation: 0 for grey pixels and for one-channel sources, high for pure colours, unchanged by darkening', () => {
    assert.equal(pixelStats(rgb((x) => [x * 8, x * 8, x * 8])).saturation, 0);
    const grey: RawPixels = { bytes: Uint8Array.from({ length: SIZE * SIZE }, (_, i) => i % 256), width: SIZE, height: SIZE, channels: 1 };
    const stats = pixelStats(grey);
    assert.equal(stats.saturation, 0);
    assert.ok(stats.entropy > 7.9, 'every level used equally: 8 bits');
    assert.ok(pixelStats(rgb(() => [255, 0, 0])).saturation > 0.99);
    const bright = pixelStats(rgb(checker)).saturation;
    const dark = pixelStats(rgb((x, y) => checker(x, y).map((v) => Math.round(v / 2)) as [number, number, number])).saturation;
    assert.ok(Math.abs(bright - dark) < 0.05, `${bright} vs ${dark}`);
  });

  it('reads grey with alpha (two channels) by its first channel', () => {
    const bytes = new Uint8Array(SIZE * SIZE * 2);
    for (let i = 0; i < SIZE * SIZE; i++) bytes.set([102, 255], i * 2);
    const stats = pixelStats({ bytes, width: SIZE, height: SIZE, channels: 2 });
    assert.ok(Math.abs(stats.brightness - 0.4) < 1e-6);
  });

  it('the Laplacian of a single bright pixel: variance from its 5 non-zero responses', () => {
    const luma = new Float32Array(25);
    luma[12] = 1; // centre of 5x5
    // Interior 3x3: centre -4, its 4 neighbours +1, corners 0; mean 0; variance (16 + 4) / 9.
    assert.ok(Math.abs(laplacianVariance(luma, 5, 5) - 20 / 9) < 1e-6);
    assert.equal(laplacianVariance(luma, 2, 2), 0);
  });

  it('refuses a buffer too small for its size', () => {
    assert.throws(() => pixelStats({ bytes: new Uint8Array(10), width: 4, height: 4, channels: 3 }), /cannot hold/);
  });

  it('round-trips through the stored record, and rejects records of another layout', () => {
    const stats = { width: 640, height: 480, ...pixelStats(rgb(checker)) };
    const record = statsToRecord(stats);
    assert.equal(record.length, STATS_FIELDS.length);
    const back = statsFromRecord(record)!;
    for (const field of STATS_FIELDS) assert.ok(Math.abs(back[field] - stats[field]) < 1e-5 * Math.max(1, Math.abs(stats[field])), field);
    assert.equal(statsFromRecord(new Float32Array(3)), undefined);
    assert.equal(statsFromRecord(Float32Array.from([1, 2, NaN, 0, 0, 0, 0])), undefined);
  });
});
