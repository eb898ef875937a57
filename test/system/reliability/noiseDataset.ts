// A dataset root of distinct, deterministic noise images: enough of them that an embedding run
// lasts a few seconds, so a test can kill or cancel it midway.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

const SIDE = 48;

/** Writes `count` distinct PNGs into <dir>/noise/unlabeled/ and returns the root (<dir>/noise). */
export async function makeNoiseDataset(dir: string, count: number): Promise<string> {
  const root = join(dir, 'noise');
  const folder = join(root, 'unlabeled');
  await mkdir(folder, { recursive: true });
  let state = 12345;
  const nextByte = (): number => {
    // xorshift32: fast and the same on every run.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) & 0xff;
  };
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.alloc(SIDE * SIDE * 3);
    for (let p = 0; p < pixels.length; p++) pixels[p] = nextByte();
    await writeFile(join(folder, `noise_${String(i).padStart(4, '0')}.png`), await sharp(pixels, { raw: { width: SIDE, height: SIDE, channels: 3 } }).png().toBuffer());
  }
  return root;
}
