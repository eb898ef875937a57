// URLs that open code-server's workbench on a folder, with the installed extensions or with one
// loaded from source (extension development mode) and a test entry point to run in its extension host.

export interface WorkbenchOptions {
  /** Absolute path of the folder the workbench opens. */
  folder: string;
  /** Absolute path of the extension to load in development mode; absent: only the installed extensions run. */
  extensionDevelopmentPath?: string;
  /** Absolute path of a JS module exporting run(); the workbench exits when it settles. */
  extensionTestsPath?: string;
}

export function workbenchUrl(baseUrl: string, authority: string, options: WorkbenchOptions): string {
  // The extension host runs on the server, so the browser names server files as vscode-remote URIs.
  const remote = (path: string) => `vscode-remote://${authority}${path}`;
  const payload: [string, string][] = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  const query = new URLSearchParams({ folder: options.folder, payload: JSON.stringify(payload) });
  return `${baseUrl}/?${query.toString()}`;
}
