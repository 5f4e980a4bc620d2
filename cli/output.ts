/** Where the CLI writes; a seam so tests can capture output without touching process streams. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** True when stderr is a terminal (progress bars only then). */
  isTTY: boolean;
}

export function createOutput(): Output {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  };
}
