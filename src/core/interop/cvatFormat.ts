// CVAT's files for image classification, written and read:
//  - an image list, one path per line, for a task made from a connected file share (or to pick the
//    files to upload);
//  - the task's labels in the label constructor's JSON form, `[{ "name": ..., "attributes": [] }]`;
//  - its "CVAT for images 1.1" XML export read back: `<annotations><version>1.1</version><meta>...
//    </meta><image id name width height><tag label="..."/></image>...</annotations>`; the classes
//    of an image are the labels of its `<tag>` elements (boxes, polygons and the rest are ignored).
import { MalformedExportError, type AnnotatedImage, type AnnotationExport } from './annotatedImages';
import { childrenNamed, parseXml, XmlSyntaxError, type XmlElement } from './xmlSubset';

/** One path per line, in the order given. */
export function cvatImageList(paths: readonly string[]): string {
  return paths.map((path) => `${path}\n`).join('');
}

export function cvatLabels(classes: readonly string[]): string {
  return `${JSON.stringify(classes.map((name) => ({ name, attributes: [] })), null, 2)}\n`;
}

/** Reads a "CVAT for images 1.1" export; throws MalformedExportError naming what is wrong. */
export function readCvatExport(text: string): AnnotationExport {
  let root: XmlElement;
  try {
    root = parseXml(text);
  } catch (error) {
    if (error instanceof XmlSyntaxError) throw new MalformedExportError(`not well-formed XML (${error.message})`);
    throw error;
  }
  if (root.name !== 'annotations') throw new MalformedExportError(`the root element is <${root.name}>, not <annotations> ("CVAT for images 1.1")`);
  const version = childrenNamed(root, 'version')[0]?.text.trim();
  if (version !== undefined && version !== '1.1') throw new MalformedExportError(`version ${version}; "CVAT for images 1.1" is read`);
  if (childrenNamed(root, 'track').length > 0 && childrenNamed(root, 'image').length === 0) {
    throw new MalformedExportError('this is a video export (tracks, no images); export the task as "CVAT for images 1.1"');
  }
  const images: AnnotatedImage[] = [];
  for (const [index, image] of childrenNamed(root, 'image').entries()) {
    const id = image.attributes.get('id');
    const where = `image ${id ?? `#${index + 1}`}`;
    const ref = image.attributes.get('name');
    if (ref === undefined || ref === '') throw new MalformedExportError(`${where} has no name`);
    const choices = new Set<string>();
    for (const tag of childrenNamed(image, 'tag')) {
      const label = tag.attributes.get('label');
      if (label === undefined) throw new MalformedExportError(`${where}: a <tag> has no label`);
      choices.add(label);
    }
    images.push(choices.size === 0 ? { where, ref, choices: [], skipped: 'not-annotated' } : { where, ref, choices: [...choices] });
  }
  return { tool: 'cvat', images };
}
