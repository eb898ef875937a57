// Exports that are folders (a COCO or YOLO subset) appear whole or not at all: they are filled in a
// hidden sibling folder that is renamed into place at the end, and removed when anything fails.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { syncFolder } from '../util/atomicWrite';
import { pathExists } from '../util/pathExists';

/** Creates the folder out (which must not exist) with what fill writes into the staging folder it is given. */
export async function writeFolderWhole(out: string, fill: (staging: string) => Promise<void>): Promise<void> {
  if (await pathExists(out)) throw new Error(`${out} already exists; choose a new folder (exports never overwrite).`);
  const parent = dirname(out);
  await mkdir(parent, { recursive: true });
  const staging = join(parent, `.${basename(out)}.partial-${process.pid}-${randomBytes(4).toString('hex')}`);
  await mkdir(staging);
  try {
    await fill(staging);
    if (await pathExists(out)) throw new Error(`${out} appeared while the export was written; nothing was overwritten.`);
    await rename(staging, out);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  await syncFolder(parent);
}
