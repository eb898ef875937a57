// The review panel's page: a strict Content Security Policy (no inline script or style, scripts only
// with this page's nonce, images only from the webview's own resource origin, which
// localResourceRoots narrows to dist/, media/ and the thumbnail caches).

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';

export function reviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  const nonce = randomBytes(16).toString('base64');
  const script = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'review.js'));
  const style = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'review.css'));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${webview.cspSource}; style-src ${webview.cspSource}; script-src 'nonce-${nonce}';">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Curator Review</title>
</head>
<body>
<div id="app"><p class="status">Opening the dataset…</p></div>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
}
