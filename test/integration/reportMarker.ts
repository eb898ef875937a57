// The workbench forwards everything the extension host logs (its own chatter included) through
// one channel; the test report is tagged so the runner can show it and nothing else.
export const REPORT_MARKER = '[curator-test-report] ';
