// A small segment router: '/taskrouter/v1/Workspaces/:ws/Tasks/:sid'. Parameters are decoded, so
// Sync unique names and map keys with reserved characters work.
import type { SandboxRequest, SandboxResponse } from './http';
import type { Store } from './store';
import type { Switches } from './switches';

export type Context = {
  readonly store: Store;
  switches(): Switches;
  setSwitches(next: Switches): void;
};

export type Handler = (req: SandboxRequest, ctx: Context) => SandboxResponse;

export type Route = { method: string; pattern: string; handler: Handler };

export type Match =
  { route: Route; params: Record<string, string> } | { route: null; allowed: string[] };

export function createRouter(routes: Route[]) {
  const compiled = routes.map((route) => ({
    route,
    segments: route.pattern.split('/').filter(Boolean),
  }));
  return {
    match(method: string, path: string): Match {
      const parts = path.split('/').filter(Boolean);
      const allowed: string[] = [];
      for (const { route, segments } of compiled) {
        const params = matchSegments(segments, parts);
        if (params === null) continue;
        if (route.method === method) return { route, params };
        allowed.push(route.method);
      }
      return { route: null, allowed };
    },
  };
}

function matchSegments(segments: string[], parts: string[]): Record<string, string> | null {
  if (segments.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const seg = segments[i] as string;
    const part = parts[i] as string;
    if (seg.startsWith(':')) {
      try {
        params[seg.slice(1)] = decodeURIComponent(part);
      } catch {
        return null;
      }
    } else if (seg !== part) return null;
  }
  return params;
}
