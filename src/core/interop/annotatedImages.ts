// What an annotation tool's export says, before it is matched to a root's images: one entry per
// task (Label Studio) or per image element (CVAT), with the image as the tool named it and the
// classes the annotator chose. Both readers produce this, so matching and reporting are shared.
import { UnusableInputError } from '../util/errors';

export type AnnotationTool = 'label-studio' | 'cvat';

export const ANNOTATION_TOOLS: readonly AnnotationTool[] = ['label-studio', 'cvat'];

export interface AnnotatedImage {
  /** Where in the export, for messages: "task 12", "image 3". */
  where: string;
  /** The image as the export names it: a URL, a path relative to a share, a file name. */
  ref: string;
  /** Set when the export itself names the image's path relative to the dataset root (tasks written by export-selection carry it). */
  rootPath?: string;
  /** The classes chosen; empty when none was. */
  choices: string[];
  /** Set when the entry carries no usable answer: why (cancelled, not annotated). */
  skipped?: 'not-annotated' | 'cancelled';
}

export interface AnnotationExport {
  tool: AnnotationTool;
  images: AnnotatedImage[];
}

/** The export is neither format or is broken; nothing is planned from it. */
export class MalformedExportError extends UnusableInputError {}
