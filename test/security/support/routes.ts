import type { Express } from 'express';

interface Layer {
  readonly route?: { readonly path: string; readonly methods: Record<string, boolean> };
  readonly handle?: { readonly stack?: readonly Layer[] };
}

/** Every `METHOD /path` the app serves, found by walking Express's router stack (mounted routers included). */
export function servedRoutes(app: Express): string[] {
  const walk = (stack: readonly Layer[]): string[] =>
    stack.flatMap((layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route!.path}`)
        : walk(layer.handle?.stack ?? []),
    );
  return walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
}

/** `GET /admin/messages/{id}` or `POST /webhooks/:provider/:accountId` → a request with every parameter filled in. */
export function concrete(route: string, value = 'probe'): { method: string; path: string } {
  const [method, path] = route.split(' ') as [string, string];
  return { method, path: path.replace(/\{\w+\}|:\w+/g, value) };
}
