/** Bundles the command into `outfile` (dist/cli.cjs unless given). */
export function buildCli(outfile?: string): Promise<void>;
/** The bundle's text with its first line naming it by its content. */
export function withBundleId(text: string): { id: string; text: string };
