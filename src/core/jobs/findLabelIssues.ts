// Only the labelled images whose label looks wrong, most likely wrong first, with the suggested
// correction and the numbers behind it. Written to <cacheDir>/suggestions/issues.json.
import { join } from 'node:path';
import { rankedIssues, type SuggestionItem } from '../suggest/suggestionReport';
import { ISSUES_FILE, SUGGESTIONS_FOLDER, writeResultFile } from '../results/suggestionFiles';
import { suggestLabels, type SuggestLabelsParams } from './suggestLabels';
import type { SuggestionMethod } from '../suggest/types';

export type FindLabelIssuesParams = Omit<SuggestLabelsParams, 'method'> & { method?: SuggestionMethod };

export interface FindLabelIssuesResult {
  method: SuggestionMethod;
  root: string;
  modelId: string;
  /** Labelled images checked. */
  labelled: number;
  issueConfidence: number | null;
  items: SuggestionItem[];
  notes: string[];
  seconds: number;
  resultFile: string;
}

export async function findLabelIssues(params: FindLabelIssuesParams, signal?: AbortSignal): Promise<FindLabelIssuesResult> {
  const suggested = await suggestLabels({ ...params, method: params.method ?? 'pll' }, signal);
  const resultFile = join(params.cacheDir, SUGGESTIONS_FOLDER, ISSUES_FILE);
  const result: FindLabelIssuesResult = {
    method: suggested.method,
    root: suggested.root,
    modelId: suggested.modelId,
    labelled: suggested.labelled,
    issueConfidence: params.issueConfidence ?? null,
    items: rankedIssues(suggested.items),
    notes: suggested.notes,
    seconds: suggested.seconds,
    resultFile,
  };
  await writeResultFile(resultFile, result);
  return result;
}
