export interface Options {
  /** Lowest severity that fails the build: "error" (default), "warning", "info" or "never". */
  failOn?: 'error' | 'warning' | 'warn' | 'info' | 'never';
  /** A manglecheck.json; by default the one found from the working directory up. */
  config?: string;
  /** More `manglecheck check` flags, e.g. ["--disable", "name-message"]. */
  args?: string[];
  cwd?: string;
}
export interface Result {
  exitCode: number;
  report: any;
  stderr: string;
}
export function checkFiles(files: string[], options?: Options): Promise<Result>;
export function binaryPath(): string;
