/** A command's options as parseArgs gives them. */
export type Values = Record<string, string | string[] | boolean | undefined>;

/** Where a command writes and reads (the process's, or a test's). */
export interface Io {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  readStdin: () => string;
}
