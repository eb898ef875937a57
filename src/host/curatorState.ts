// What the extension knows about the open workspace's datasets: the last scan and embedding results.
// Views subscribe to changes instead of asking commands for data.

import * as vscode from 'vscode';
import type { EmbedDatasetResult } from '../core/embed/types';
import type { ScanSummary } from '../core/jobs/scanWorkspace';
import type { LabelApplyResult } from '../core/labels/types';
import type { FindingKind } from '../core/quality/imageFindings';

/** A label change that was written: views refresh their counts from it. */
export interface LabelsChangedEvent {
  root: string;
  result: LabelApplyResult;
}

export interface ImageProblemCounts {
  counts: Record<FindingKind, number>;
  /** Images whose statistics were read. */
  images: number;
}

export class CuratorState implements vscode.Disposable {
  private scans: ScanSummary[] | undefined;
  private readonly embeddings = new Map<string, EmbedDatasetResult>();
  private readonly imageProblems = new Map<string, ImageProblemCounts>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly labelsChanged = new vscode.EventEmitter<LabelsChangedEvent>();
  readonly onDidChangeLabels = this.labelsChanged.event;
  private readonly resultsChanged = new vscode.EventEmitter<string>();
  /** A job wrote a new result (selection, suggestions, issues, clusters, duplicates, image problems) for the root it names. */
  readonly onDidWriteResults = this.resultsChanged.event;

  get lastScan(): ScanSummary[] | undefined {
    return this.scans;
  }

  embeddingFor(root: string): EmbedDatasetResult | undefined {
    return this.embeddings.get(root);
  }

  /** Findings per kind of the latest Find Image Problems run on a root. */
  imageProblemsFor(root: string): ImageProblemCounts | undefined {
    return this.imageProblems.get(root);
  }

  setImageProblems(root: string, counts: ImageProblemCounts): void {
    this.imageProblems.set(root, counts);
    this.changed.fire();
  }

  setScan(summaries: ScanSummary[]): void {
    this.scans = summaries;
    this.changed.fire();
  }

  setEmbedding(result: EmbedDatasetResult): void {
    this.embeddings.set(result.root, result);
    this.changed.fire();
  }

  /** Called after labels were written, so views can update counts without a rescan. */
  labelsWritten(event: LabelsChangedEvent): void {
    this.labelsChanged.fire(event);
  }

  /** Called after a job wrote its result into a root's cache, so an open review panel shows it. */
  resultsWritten(root: string): void {
    this.resultsChanged.fire(root);
  }

  dispose(): void {
    this.resultsChanged.dispose();
    this.changed.dispose();
    this.labelsChanged.dispose();
  }
}
