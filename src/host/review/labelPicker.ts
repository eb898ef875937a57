// The quick pick behind the panel's "choose a class" key: every known class, most frequent first
// (a suggested class, when there is one, on top), and whatever the user types offered as a new
// class (validated like every label).

import * as vscode from 'vscode';
import { parseLabel } from '../../shared/protocol/review';

export interface SuggestedClass {
  label: string;
  /** Why it is suggested ("top suggestion of 9 of 12 images"). */
  detail: string;
}

export async function pickClass(classes: readonly { name: string; count: number }[], imageCount: number, options: { title?: string; suggested?: SuggestedClass } = {}): Promise<string | undefined> {
  const picker = vscode.window.createQuickPick<vscode.QuickPickItem>();
  const { suggested } = options;
  const others: vscode.QuickPickItem[] = classes.filter((c) => c.name !== suggested?.label).map((c) => ({ label: c.name, description: `${c.count.toLocaleString('en')} images` }));
  const known: vscode.QuickPickItem[] = suggested ? [{ label: suggested.label, description: 'suggested', detail: suggested.detail }, ...others] : others;
  picker.title = options.title ?? `Label ${imageCount === 1 ? 'the image' : `${imageCount.toLocaleString('en')} images`}`;
  picker.placeholder = 'Pick a class, or type a new class name';
  picker.items = known;
  picker.onDidChangeValue((value) => {
    const typed = parseLabel(value);
    const exists = typed !== undefined && known.some((c) => c.label === typed);
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
