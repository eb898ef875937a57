// Entry point the workbench calls inside its extension host (extensionTestsPath): runs every
// *.test.js compiled next to this file with mocha, against the real `vscode` API.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';
import { REPORT_MARKER } from './reportMarker';

export function run(): Promise<void> {
  // The extension host forwards console arguments without applying printf-style formats, so
  // the reporter's lines are formatted here, and tagged for the runner.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(REPORT_MARKER + format(...args));

  const mocha = new Mocha({
    ui: 'bdd',
    // The first command activates the extension and starts its engine process.
    timeout: 120_000,
    // The report travels through the workbench's log as plain text; colour codes would be noise.
    color: false,
  });
  for (const file of testFilesUnder(__dirname)) mocha.addFile(file);

  return new Promise((resolve, reject) => {
    mocha.run((failures) => {
      if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
      else resolve();
    });
  });
}

function testFilesUnder(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...testFilesUnder(path));
    else if (entry.name.endsWith('.test.js')) files.push(path);
  }
  return files.sort();
}
