// Wraps every command: one place turns failures into clear messages, so no command ends in an
// unhandled rejection, and a crashed engine is reported with what to do next.

import * as vscode from 'vscode';
import { EngineCallError, EngineCrashedError } from '../core/engine/engineClient';
import type { CommandContext } from './commandContext';

export function registerCuratorCommand<A extends unknown[], R>(
  context: CommandContext,
  id: string,
  handler: (...args: A) => Promise<R>,
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: A): Promise<R | undefined> => {
    try {
      return await handler(...args);
    } catch (error) {
      reportFailure(context, id, error);
      return undefined;
    }
  });
}

function reportFailure(context: CommandContext, id: string, error: unknown): void {
  if (error instanceof EngineCallError && error.cancelled) {
    context.log.info(`${id}: cancelled.`);
    void vscode.window.showInformationMessage('Curator: cancelled. Work finished before the cancel is kept in the cache.');
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  context.log.error(`${id}: ${message}`);
  if (error instanceof Error && error.stack) context.log.debug(error.stack);
  if (error instanceof EngineCallError && error.payload.stack) context.log.debug(error.payload.stack);
  const prefix = error instanceof EngineCrashedError ? '' : 'Curator: ';
  void vscode.window.showErrorMessage(`${prefix}${message}`, 'Show Log').then((choice) => {
    if (choice === 'Show Log') context.log.show();
  });
}
