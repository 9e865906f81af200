/** A progress bar on stderr (never stdout, which carries the data), redrawn in place. */
export class Progress {
  private last = -1;
  constructor(
    private readonly total: number,
    private readonly label: string,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  update(done: number): void {
    const width = 30;
    const filled = this.total ? Math.round((done / this.total) * width) : width;
    if (filled === this.last && done !== this.total) return;
    this.last = filled;
    const pct = this.total ? Math.floor((done / this.total) * 100) : 100;
    this.out.write(
      `\r${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${this.total} (${pct}%)`,
    );
  }

  finish(): void {
    this.update(this.total);
    this.out.write('\n');
  }
}

/** A progress line for a stream of unknown length on stderr: rows so far and rows/s, redrawn at most every 200 ms. */
export class RateProgress {
  private readonly started = performance.now();
  private lastDraw = 0;
  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WritableStream = process.stderr,
  ) {}

  update(rows: number, force = false): void {
    const now = performance.now();
    if (!force && now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const rate = rows / Math.max((now - this.started) / 1000, 1e-3);
    this.out.write(
      `\r${this.label}: ${rows.toLocaleString('en')} rows, ${Math.round(rate).toLocaleString('en')} rows/s`,
    );
  }

  finish(rows: number): void {
    this.update(rows, true);
    this.out.write('\n');
  }
}
