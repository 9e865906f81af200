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
