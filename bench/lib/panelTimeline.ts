// Where the time from the command to the review panel's first tile goes, read from the logs that
// code-server and the extension write: when the extension host finished starting (so the benchmark
// does not time code-server's own start-up), and the extension's own milestones ("activated",
// "Review panel: webview ready / read / first page"), each with its log timestamp.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The newest session folder under <user-data>/logs/. */
function newestLogsDir(userDataDir: string): string | undefined {
  const logs = join(userDataDir, 'logs');
  if (!existsSync(logs)) return undefined;
  const sessions = readdirSync(logs).sort();
  return sessions.length > 0 ? join(logs, sessions[sessions.length - 1]!) : undefined;
}

/** Waits until the extension host has activated its start-up extensions, as its log says. */
export async function waitForExtensionHost(userDataDir: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const dir = newestLogsDir(userDataDir);
    const log = dir ? join(dir, 'exthost1', 'remoteexthost.log') : undefined;
    if (log && existsSync(log) && readFileSync(log, 'utf8').includes('Eager extensions activated')) return;
    if (Date.now() > deadline) throw new Error(`the extension host did not finish starting within ${timeoutMs / 1000} s (no "Eager extensions activated" in ${log ?? 'its log'})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export interface PanelTimeline {
  /** Seconds after the command, each milestone as the extension logged it. */
  activated?: number;
  panelMade?: number;
  webviewReady?: number;
  rootRead?: number;
  firstPage?: number;
}

/** Log lines start "2026-11-22 23:01:42.152 [info] ..." in this machine's local time. */
const LINE = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d\.\d{3}) \[\w+\] (.*)$/;

export function panelTimeline(userDataDir: string, commandAtMs: number): PanelTimeline {
  const dir = newestLogsDir(userDataDir);
  const log = dir ? join(dir, 'exthost1', 'dataset-curator.dataset-curator', 'Dataset Curator.log') : undefined;
  if (!log || !existsSync(log)) return {};
  const timeline: PanelTimeline = {};
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const at = (new Date(`${match[1]}T${match[2]}`).getTime() - commandAtMs) / 1000;
    const text = match[3]!;
    if (text.startsWith('Dataset Curator') && text.includes(' activated')) timeline.activated ??= at;
    const ready = /^Review panel: webview ready ([\d.]+) s after/.exec(text);
    if (ready && timeline.webviewReady === undefined) {
      timeline.webviewReady = at;
      timeline.panelMade = at - Number(ready[1]);
    }
    if (text.startsWith('Review panel: read ')) timeline.rootRead ??= at;
    if (text.startsWith('Review panel: first page')) timeline.firstPage ??= at;
  }
  return timeline;
}
