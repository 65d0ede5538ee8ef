/** One chunk of a Vite manifest (`dist/.vite/manifest.json`), as far as the size check needs it. */
export type ManifestChunk = { file: string; imports?: string[]; isEntry?: boolean };
export type Manifest = Record<string, ManifestChunk>;

/**
 * The JavaScript files a browser loads for the first paint of a route: the entry and everything it
 * imports statically, plus the route's lazy chunk and its static imports. Lazy chunks of other
 * routes are not counted (they are not fetched on that route).
 */
export function routeFirstLoadFiles(manifest: Manifest, routeModule: string): string[] {
  const entry = Object.entries(manifest).find(([, chunk]) => chunk.isEntry);
  if (!entry) throw new Error('The Vite manifest has no entry chunk; was it built with build.manifest?');
  if (!manifest[routeModule]) throw new Error(`The Vite manifest has no chunk for ${routeModule}`);
  const files = new Set<string>();
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  visit(entry[0]);
  visit(routeModule);
  return [...files].filter((file) => file.endsWith('.js')).sort();
}
