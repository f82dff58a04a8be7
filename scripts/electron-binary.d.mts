/** The Electron binary path, or null where it is not installed. */
export function electronBinary(root?: string): string | null;
