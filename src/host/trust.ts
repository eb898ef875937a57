// Workspace Trust stance: in Restricted Mode the extension scans and shows, but does not write into
// the workspace (caches, labels, exports) or load anything the workspace points at.

import * as vscode from 'vscode';

export function requireTrust(action: string): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(`Curator: ${action} needs a trusted workspace (it writes into the workspace). Scanning works in Restricted Mode.`, 'Manage Workspace Trust')
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
    });
  return false;
}
