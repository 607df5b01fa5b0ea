/** The drawing area: strokes from mouse, pen or touch (Pointer Events), undo, clear, and an optional background photo. */

export interface Fit {
  x: number;
  y: number;
  scale: number;
}

type Point = [number, number];

const INK = '#111';
const PAPER = '#fff';

export class DrawingPad {
  private strokes: Point[][] = [];
  private current: Point[] | null = null;
  private background: ImageBitmap | null = null;
  private readonly ctx: CanvasRenderingContext2D;

  /** Called after every finished stroke, undo and clear. */
  onChange: () => void = () => undefined;

  constructor(readonly canvas: HTMLCanvasElement) {
    this.ctx = canvas.getContext('2d', { willReadFrequently: true })!;
    canvas.addEventListener('pointerdown', (e) => this.down(e));
    canvas.addEventListener('pointermove', (e) => this.move(e));
    canvas.addEventListener('pointerup', (e) => this.up(e));
    canvas.addEventListener('pointercancel', (e) => this.up(e));
    this.redraw();
  }

  get isEmpty(): boolean {
    return this.strokes.length === 0 && this.background === null;
  }

  get hasStrokes(): boolean {
    return this.strokes.length > 0;
  }

  /**
   * New size in canvas pixels. The drawing is kept: moved so its centre is the new centre, and
   * scaled down only if it would no longer fit (a wide number going back to the square pad).
   */
  resize(width: number, height: number): void {
    const margin = this.lineWidth();
    const points = this.strokes.flat();
    this.canvas.width = width;
    this.canvas.height = height;
    if (points.length > 0) {
      const xs = points.map((p) => p[0]);
      const ys = points.map((p) => p[1]);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const scale = Math.min(1, (width - 2 * margin) / Math.max(1, x1 - x0), (height - 2 * margin) / Math.max(1, y1 - y0));
      const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
      this.strokes = this.strokes.map((stroke) => stroke.map(([x, y]): Point => [width / 2 + (x - cx) * scale, height / 2 + (y - cy) * scale]));
    }
    this.redraw();
  }

  clear(): void {
    this.strokes = [];
    this.background = null;
    this.redraw();
    this.onChange();
  }

  undo(): void {
    if (this.strokes.pop()) {
      this.redraw();
      this.onChange();
    }
  }

  /** Shows a photo (or nothing), scaled to fit; strokes drawn afterwards go on top of it. */
  setBackground(image: ImageBitmap | null): void {
    this.strokes = [];
    this.background = image;
    this.redraw();
  }

  /** Where the background photo sits on the canvas (image pixels → canvas pixels). */
  backgroundFit(): Fit | null {
    const b = this.background;
    if (!b) return null;
    const { width, height } = this.canvas;
    const scale = Math.min(width / b.width, height / b.height);
    return { x: (width - b.width * scale) / 2, y: (height - b.height * scale) / 2, scale };
  }

  imageData(): ImageData {
    return this.ctx.getImageData(0, 0, this.canvas.width, this.canvas.height);
  }

  toPng(): Promise<Blob> {
    return new Promise((resolve, reject) => this.canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('canvas export failed'))), 'image/png'));
  }

  private lineWidth(): number {
    return Math.round(this.canvas.height * 0.07);
  }

  private point(e: PointerEvent): Point {
    const r = this.canvas.getBoundingClientRect();
    return [((e.clientX - r.left) / r.width) * this.canvas.width, ((e.clientY - r.top) / r.height) * this.canvas.height];
  }

  private down(e: PointerEvent): void {
    if (e.button !== 0) return;
    e.preventDefault();
    this.canvas.setPointerCapture(e.pointerId);
    this.current = [this.point(e)];
    this.strokes.push(this.current);
    this.drawStroke(this.current);
  }

  private move(e: PointerEvent): void {
    if (!this.current) return;
    e.preventDefault();
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) this.current.push(this.point(ev));
    this.drawStroke(this.current.slice(-events.length - 2));
  }

  private up(e: PointerEvent): void {
    if (!this.current) return;
    e.preventDefault();
    this.current = null;
    this.onChange();
  }

  private redraw(): void {
    const { ctx } = this;
    ctx.fillStyle = PAPER;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    const fit = this.backgroundFit();
    if (fit && this.background) ctx.drawImage(this.background, fit.x, fit.y, this.background.width * fit.scale, this.background.height * fit.scale);
    for (const s of this.strokes) this.drawStroke(s);
  }

  private drawStroke(points: Point[]): void {
    const { ctx } = this;
    ctx.strokeStyle = INK;
    ctx.fillStyle = INK;
    ctx.lineWidth = this.lineWidth();
    ctx.lineCap = 'round';
    ctx.lineJoin = 'round';
    if (points.length === 1) {
      ctx.beginPath();
      ctx.arc(points[0]![0], points[0]![1], ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
      return;
    }
    ctx.beginPath();
    ctx.moveTo(points[0]![0], points[0]![1]);
    for (const [x, y] of points.slice(1)) ctx.lineTo(x, y);
    ctx.stroke();
  }
}
