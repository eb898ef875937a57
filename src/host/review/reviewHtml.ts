// The review panel's page; its CSP comes from webviewPage, and localResourceRoots narrows the
// resource origin to dist/, media/ and the thumbnail caches.

import type * as vscode from 'vscode';
import { webviewPage } from '../webviewPage';

export function reviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri): string {
  return webviewPage(webview, extensionUri, {
    script: 'review.js',
    style: 'review.css',
    title: 'Curator Review',
    placeholder: '<div id="app"><p class="status">Opening the dataset…</p></div>',
  });
}
