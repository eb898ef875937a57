// A selection of a COCO root as a new COCO dataset: `<out>/annotations/instances_selection.json`
// with the selected images (in rank order, ids renumbered from 1), their annotations and the root's
// categories, and the images copied to `<out>/<path in the root>`, where the file's `file_name`
// finds them. Selected images no instances file lists are included with no annotations, ready to
// be annotated. The folder appears whole or not at all.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { detectAnnotationSource, readAnnotations } from '../dataset/annotationSource';
import { COCO_ANNOTATIONS_FOLDER } from '../dataset/cocoInstances';
import { readImageSize } from '../dataset/imageSize';
import { scanDataset } from '../dataset/scan';
import { throwIfAborted } from '../util/abort';
import { writeFileAtomic } from '../util/atomicWrite';
import { copyInto, distinctItems, type SubsetItem, type SubsetResult, type SubsetRunOptions } from './annotatedSubset';
import { writeFolderWhole } from './stagedFolder';

export const COCO_SUBSET_FILE = `${COCO_ANNOTATIONS_FOLDER}/instances_selection.json`;

export async function exportCocoSubset(root: string, items: readonly SubsetItem[], outDir: string, options: SubsetRunOptions = {}): Promise<SubsetResult> {
  const source = await detectAnnotationSource(root);
  if (source?.kind !== 'coco') throw new Error(`${root} is not a COCO dataset (it has no ${COCO_ANNOTATIONS_FOLDER}/instances_*.json or <split>/_annotations.coco.json); a COCO subset is exported only from one.`);
  const scan = await scanDataset(root, { signal: options.signal });
  const read = await readAnnotations(root, source, scan.images.map((image) => image.relPath), new Set(), options.signal, 'entries');
  if (read.cocoFiles.length === 0) throw new Error(`None of ${source.files.join(', ')} could be read: ${read.problems.map((problem) => problem.message).join(' ')}`);

  // Category ids are kept, so every file must give an id the same name.
  const categories = new Map<number, { name: string; raw: Record<string, unknown>; file: string }>();
  for (const { file, instances } of read.cocoFiles) {
    for (const raw of instances.rawCategories) {
      const id = raw.id as number;
      const earlier = categories.get(id);
      if (earlier && earlier.name !== instances.categories.get(id)) {
        throw new Error(`Category id ${id} is "${earlier.name}" in ${earlier.file} but "${instances.categories.get(id)}" in ${file}; the files cannot be merged into one subset.`);
      }
      if (!earlier) categories.set(id, { name: instances.categories.get(id)!, raw, file });
    }
  }

  const { unique, repeated } = distinctItems(items);
  const images: Array<Record<string, unknown>> = [];
  const annotations: Array<Record<string, unknown>> = [];
  for (const [index, item] of unique.entries()) {
    throwIfAborted(options.signal);
    const id = index + 1;
    const match = read.coco.get(item.path.normalize('NFC'));
    if (match) {
      images.push({ ...match.image.raw, id, file_name: item.path });
      for (const annotation of match.image.annotations) annotations.push({ ...annotation, id: annotations.length + 1, image_id: id });
    } else {
      const size = await readImageSize(item.absPath);
      images.push({ id, file_name: item.path, ...(size ?? {}) });
    }
  }
  const first = read.cocoFiles[0]!.instances;
  const document = { ...first.extra, images, annotations, categories: [...categories.values()].map((category) => category.raw) };

  const files: string[] = [];
  await writeFolderWhole(outDir, async (staging) => {
    for (const [index, item] of unique.entries()) {
      throwIfAborted(options.signal);
      await copyInto(staging, item.path, item.absPath);
      files.push(item.path);
      options.onProgress?.(index + 1, unique.length + 1);
    }
    await mkdir(join(staging, COCO_ANNOTATIONS_FOLDER), { recursive: true });
    await writeFileAtomic(join(staging, COCO_SUBSET_FILE), `${JSON.stringify(document, null, 1)}\n`);
    options.onProgress?.(unique.length + 1, unique.length + 1);
  });
  return { files, repeated };
}
