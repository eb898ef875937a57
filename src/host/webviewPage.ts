// The one HTML page every webview of the extension starts from, so there is one Content Security
// Policy to get right: nothing by default, scripts only from files with this page's nonce, styles and
// images only from the webview's resource origin (which each panel's localResourceRoots narrows).

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export interface WebviewPageOptions {
  /** Script bundle in dist/. */
  script: string;
  /** Style sheet in media/. */
  style: string;
  title: string;
  /** Static markup shown until the script renders (no scripts or handlers). */
  placeholder: string;
}

export function webviewPage(webview: vscode.Webview, extensionUri: vscode.Uri, options: WebviewPageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', options.script));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', options.style));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>${options.title}</title>
</head>
<body>
${options.placeholder}
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
