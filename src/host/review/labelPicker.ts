// The quick pick behind the panel's "choose a class" key: every known class, most frequent first,
// and whatever the user types offered as a new class (validated like every label).

import * as vscode from 'vscode';
import { parseLabel } from '../../shared/protocol/review';

export async function pickClass(classes: readonly { name: string; count: number }[], imageCount: number): Promise<string | undefined> {
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem>();
  const known: vscode.QuickPickItem[] = classes.map((c) => ({ label: c.name, description: `${c.count.toLocaleString('en')} images` }));
  picker.title = `Label ${imageCount === 1 ? 'the image' : `${imageCount.toLocaleString('en')} images`}`;
  picker.placeholder = 'Pick a class, or type a new class name';
  picker.items = known;
  picker.onDidChangeValue((value) => {
    const typed = parseLabel(value);
    const exists = typed !== undefined && classes.some((c) => c.name === typed);
    picker.items = typed && !exists ? [{ label: typed, description: 'new class', alwaysShow: true }, ...known] : known;
  });
  try {
    return await new Promise<string | undefined>((resolve) => {
      picker.onDidAccept(() => resolve(parseLabel(picker.selectedItems[0]?.label ?? picker.value)));
      picker.onDidHide(() => resolve(undefined));
      picker.show();
    });
  } finally {
    picker.dispose();
  }
}
