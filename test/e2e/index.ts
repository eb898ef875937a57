// Every end-to-end test, in the order the runner executes them.
import { annotationRootInPanel, yoloRootInPanel } from './annotationRoot.e2e';
import { chooseEmbeddingModelFromPalette } from './chooseEmbeddingModel.e2e';
import { computeEmbeddingsFromPalette } from './computeEmbeddings.e2e';
import type { E2eTest } from './e2eTest';
import { restrictedModeFromPalette } from './restrictedMode.e2e';
import { reviewPanelFromPalette } from './reviewPanel.e2e';
import { annotationToolsFromPanel } from './annotationTools.e2e';
import { reviewPanelRestoreAndHighContrast } from './reviewPanelRestore.e2e';
import { reviewPanelVirtualised } from './reviewPanelVirtualised.e2e';
import { newClassesFromPalette } from './newClasses.e2e';
import { imageProblemsFromPalette } from './imageProblems.e2e';
import { reviewSuggestionsFromPalette } from './reviewSuggestions.e2e';
import { scanWorkspaceFromPalette } from './scanWorkspace.e2e';
import { suggestLabelsFromPalette } from './suggestLabels.e2e';

export const e2eTests: E2eTest[] = [
  scanWorkspaceFromPalette,
  computeEmbeddingsFromPalette,
  reviewPanelFromPalette,
  reviewPanelVirtualised,
  suggestLabelsFromPalette,
  reviewSuggestionsFromPalette,
  newClassesFromPalette,
  annotationToolsFromPanel,
  imageProblemsFromPalette,
  reviewPanelRestoreAndHighContrast,
  annotationRootInPanel,
  yoloRootInPanel,
  // Last: it changes the machine's model settings (and restores them) in the shared code-server.
  chooseEmbeddingModelFromPalette,
];

/** The tests that need a workbench in Restricted Mode (a code-server with Workspace Trust on). */
export const restrictedModeTests: E2eTest[] = [restrictedModeFromPalette];
