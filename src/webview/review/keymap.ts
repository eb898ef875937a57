// The panel's keyboard shortcuts: one table that drives both the key handling and the list shown
// in the panel, so the two cannot disagree.

export type ReviewCommand =
  | { kind: 'move'; by: 'left' | 'right' | 'up' | 'down' | 'pageUp' | 'pageDown' | 'home' | 'end'; extend: boolean }
  | { kind: 'acceptClass'; rank: number }
  | { kind: 'pickClass' }
  | { kind: 'labelGroup' }
  | { kind: 'createClassFromGroup' }
  | { kind: 'exportView' }
  | { kind: 'toggleSkip' }
  | { kind: 'undoLabel' }
  | { kind: 'toggleSelect' }
  | { kind: 'clearSelection' }
  | { kind: 'openFile' }
  | { kind: 'toggleMap' }
  | { kind: 'toggleHelp' };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

const MOVES: Record<string, Extract<ReviewCommand, { kind: 'move' }>['by']> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  PageUp: 'pageUp',
  PageDown: 'pageDown',
  Home: 'home',
  End: 'end',
};

export function commandFor(input: KeyInput): ReviewCommand | undefined {
  const modifier = input.ctrlKey || input.metaKey;
  if (input.altKey) return undefined;
  const move = MOVES[input.key];
  if (move) return { kind: 'move', by: move, extend: input.shiftKey };
  if (modifier) return input.key.toLowerCase() === 'z' && !input.shiftKey ? { kind: 'undoLabel' } : undefined;
  if (/^[1-9]$/.test(input.key)) return { kind: 'acceptClass', rank: Number(input.key) };
  switch (input.key) {
    case 'Enter':
      return { kind: 'acceptClass', rank: 1 };
    case 'l':
    case 'L':
      return { kind: 'pickClass' };
    case 'g':
    case 'G':
      return { kind: 'labelGroup' };
    case 'n':
    case 'N':
      return { kind: 'createClassFromGroup' };
    case 'e':
    case 'E':
      return { kind: 'exportView' };
    case 'Backspace':
    case 'Delete':
      return { kind: 'toggleSkip' };
    case ' ':
      return { kind: 'toggleSelect' };
    case 'Escape':
      return { kind: 'clearSelection' };
    case 'o':
    case 'O':
      return { kind: 'openFile' };
    case 'm':
    case 'M':
      return { kind: 'toggleMap' };
    case '?':
      return { kind: 'toggleHelp' };
    default:
      return undefined;
  }
}

/** Shown in the panel's shortcut list, in this order. */
export const SHORTCUTS: readonly [keys: string, action: string][] = [
  ['← → ↑ ↓, PgUp/PgDn, Home/End', 'Move focus'],
  ['Shift + move, Shift/Ctrl + click', 'Extend / toggle the selection'],
  ['Space, Esc', 'Add the focused image to the selection or take it out; clear the selection'],
  ['1 – 9', "Label as the focused image's n-th suggested class (the chips; without suggestions: the n-th most frequent class, as numbered in the header)"],
  ['Enter', 'Label as the top suggestion (without suggestions: the most frequent class)'],
  ['L', 'Choose a class from the list, or type a new one'],
  ['G', 'Label the whole cluster (or duplicate group) of the focused image: pick a class, confirm the count'],
  ['N', 'Possibly new classes: create a class from the focused image\'s group (name it, confirm; the files move into its new folder)'],
  ['E', 'Export the selected images, or the whole view, as copies, symlinks, CSV or JSON'],
  ['Backspace / Delete', 'Mark as skipped (again to unmark)'],
  ['Ctrl+Z (⌘Z)', "Undo the newest label change in this dataset, made here or by curator label (the files move back, or the manifest rows are restored)"],
  ['O', 'Open the image in an editor'],
  ['M', 'Show or hide the embedding map'],
  ['?', 'Show or hide this list'],
];
