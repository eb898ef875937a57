// A selection of a YOLO root as a new YOLO dataset: the selected images and their label files
// copied to the same paths under `<out>` (images/<split>/..., labels/<split>/...), and a data.yaml
// with the root's class names under the same ids and the splits that received images. Selected
// images without a label file stay without one (unlabelled, ready to be annotated). The folder
// appears whole or not at all.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { detectAnnotationSource } from '../dataset/annotationSource';
import { parseYoloConfig, yoloLabelPath, YOLO_DATA_FILE, type YoloConfig } from '../dataset/yoloLabels';
import { resolveInsideRoot } from '../workspace/insideRoot';
import { throwIfAborted } from '../util/abort';
import { writeFileAtomic } from '../util/atomicWrite';
import { isFile } from '../util/pathExists';
import { copyInto, distinctItems, type SubsetItem, type SubsetResult, type SubsetRunOptions } from './annotatedSubset';
import { writeFolderWhole } from './stagedFolder';

export async function exportYoloSubset(root: string, items: readonly SubsetItem[], outDir: string, options: SubsetRunOptions = {}): Promise<SubsetResult & { labelFiles: string[] }> {
  const source = await detectAnnotationSource(root);
  if (source?.kind !== 'yolo') throw new Error(`${root} is not a YOLO dataset (it has no ${YOLO_DATA_FILE}, or COCO annotations take precedence); a YOLO subset is exported only from one.`);
  const configPath = await resolveInsideRoot(root, YOLO_DATA_FILE);
  if (configPath === undefined) throw new Error(`${join(root, YOLO_DATA_FILE)} leads outside the dataset root; nothing was exported.`);
  const parsed = parseYoloConfig(await readFile(configPath, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.problem.message);
  const { config } = parsed;

  const { unique, repeated } = distinctItems(items);
  const files: string[] = [];
  const labelFiles: string[] = [];
  await writeFolderWhole(outDir, async (staging) => {
    for (const [index, item] of unique.entries()) {
      throwIfAborted(options.signal);
      await copyInto(staging, item.path, item.absPath);
      files.push(item.path);
      const labelPath = yoloLabelPath(item.path);
      const labelAbs = labelPath === undefined ? undefined : await resolveInsideRoot(root, labelPath);
      if (labelPath !== undefined && labelAbs !== undefined && (await isFile(labelAbs))) {
        await copyInto(staging, labelPath, labelAbs);
        labelFiles.push(labelPath);
      }
      options.onProgress?.(index + 1, unique.length + 1);
    }
    await writeFileAtomic(join(staging, YOLO_DATA_FILE), yoloDataYaml(config, files));
    options.onProgress?.(unique.length + 1, unique.length + 1);
  });
  return { files, repeated, labelFiles };
}

/** data.yaml for the subset: the splits that hold an exported image (else `images`, when images lie under it), and every name. */
export function yoloDataYaml(config: YoloConfig, files: readonly string[]): string {
  const quote = (text: string): string => JSON.stringify(text);
  const lines = [`# ${files.length} images exported from a YOLO dataset by Dataset Curator`];
  const used = config.splits.filter((split) => files.some((file) => file.startsWith(`${split.relPath}/`)));
  const keys = new Map<string, string[]>();
  for (const split of used) keys.set(split.key, [...(keys.get(split.key) ?? []), split.relPath]);
  if (keys.size === 0 && files.some((file) => file.split('/').slice(0, -1).includes('images'))) {
    keys.set('train', ['images']);
    keys.set('val', ['images']);
  }
  for (const [key, paths] of keys) lines.push(paths.length === 1 ? `${key}: ${quote(paths[0]!)}` : `${key}: [${paths.map(quote).join(', ')}]`);
  lines.push('names:');
  for (const [id, name] of [...config.names].sort((a, b) => a[0] - b[0])) lines.push(`  ${id}: ${quote(name)}`);
  return `${lines.join('\n')}\n`;
}
