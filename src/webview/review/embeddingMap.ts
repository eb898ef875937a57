// The embedding map: every embedded image as a point of the 2-D projection the engine computed,
// coloured as labelled, unlabelled or selected; the focused image is ringed. Clicking a point
// reports the nearest image.

import type { ReviewProjectionView } from '../../shared/protocol/review';

const PAD = 8;
const HIT_RADIUS = 8;

export class EmbeddingMap {
  readonly canvas: HTMLCanvasElement;
  private projection: ReviewProjectionView | undefined;
  private highlighted: string | undefined;

  constructor(private readonly onPick: (relPath: string) => void) {
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'map';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', 'Embedding map: labelled, unlabelled and selected images on the two main axes of the embeddings');
    this.canvas.addEventListener('click', (event) => this.pick(event));
    new ResizeObserver(() => this.draw()).observe(this.canvas);
  }

  show(projection: ReviewProjectionView): void {
    this.projection = projection;
    this.draw();
  }

  highlight(relPath: string | undefined): void {
    this.highlighted = relPath;
    this.draw();
  }

  private draw(): void {
    const { canvas } = this;
    const ratio = window.devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (width === 0 || height === 0) return;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const p = this.projection;
    if (!p) return;
    const colours = themeColours(canvas);
    // Unlabelled first, so labelled and selected points stay visible on top.
    for (const kind of ['unlabelled', 'labelled', 'selected'] as const) {
      ctx.fillStyle = colours[kind];
      for (let i = 0; i < p.relPaths.length; i++) {
        if (p.kinds[i] !== kind) continue;
        const [x, y] = this.toCanvas(p.xs[i], p.ys[i], width, height);
        ctx.fillRect(x - 2, y - 2, kind === 'unlabelled' ? 3 : 4, kind === 'unlabelled' ? 3 : 4);
      }
    }
    const at = this.highlighted ? p.relPaths.indexOf(this.highlighted) : -1;
    if (at >= 0) {
      const [x, y] = this.toCanvas(p.xs[at], p.ys[at], width, height);
      ctx.strokeStyle = colours.focus;
      ctx.lineWidth = 2;
      ctx.beginPath();
      ctx.arc(x, y, 6, 0, Math.PI * 2);
      ctx.stroke();
    }
  }

  private toCanvas(x: number, y: number, width: number, height: number): [number, number] {
    return [PAD + x * (width - 2 * PAD), PAD + (1 - y) * (height - 2 * PAD)];
  }

  private pick(event: MouseEvent): void {
    const p = this.projection;
    if (!p) return;
    const rect = this.canvas.getBoundingClientRect();
    let best = -1;
    let bestDistance = HIT_RADIUS * HIT_RADIUS;
    for (let i = 0; i < p.relPaths.length; i++) {
      const [x, y] = this.toCanvas(p.xs[i], p.ys[i], rect.width, rect.height);
      const d = (x - (event.clientX - rect.left)) ** 2 + (y - (event.clientY - rect.top)) ** 2;
      if (d <= bestDistance) {
        best = i;
        bestDistance = d;
      }
    }
    if (best >= 0) this.onPick(p.relPaths[best]);
  }
}

function themeColours(node: HTMLElement): Record<'labelled' | 'unlabelled' | 'selected' | 'focus', string> {
  const style = getComputedStyle(node);
  const pick = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  return {
    labelled: pick('--vscode-charts-blue', '#3794ff'),
    unlabelled: pick('--vscode-descriptionForeground', '#888888'),
    selected: pick('--vscode-charts-orange', '#d18616'),
    focus: pick('--vscode-focusBorder', '#007fd4'),
  };
}
