/**
 * Fails when the source files of apps/* and packages/* import each other in a circle. Type-only
 * imports count: a cycle of types still ties two modules' meanings together, and it becomes a
 * runtime cycle the day someone imports a value along it.
 *
 * Each file's imports are read with the TypeScript compiler (`preProcessFile`: static, type-only,
 * re-exports and dynamic `import()`) and resolved with its own package's tsconfig, as `tsc -b`
 * does, so workspace packages resolve to their sources. Tests and test support are left out
 * (`*.test.*`, `*.spec.*`, `test/`, `testing/`): they may import anything.
 *
 * Prints one import path per cycle (per strongly connected group of files) and exits 1, else says
 * how many files it checked and exits 0. `tsx scripts/check-import-cycles.ts`
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TEST_FILE = /\.(test|spec)\.tsx?$|(^|\/)(test|testing)\//;

interface Project {
  options: ts.CompilerOptions;
  files: string[];
}

function readProject(configPath: string): Project {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
      },
    },
  );
  if (!parsed) throw new Error(`Cannot read ${configPath}`);
  const packageDir = dirname(configPath);
  const files = parsed.fileNames.filter((file) => {
    const path = relative(packageDir, file).split(sep).join('/');
    return path.startsWith('src/') && !path.endsWith('.d.ts') && !TEST_FILE.test(path);
  });
  return { options: parsed.options, files };
}

/** Every source file → the source files it imports (resolved, inside the workspace). */
function importGraph(projects: Project[]): Map<string, string[]> {
  const sources = new Set(projects.flatMap((project) => project.files));
  const graph = new Map<string, string[]>();
  for (const { options, files } of projects) {
    for (const file of files) {
      const imports = ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles;
      const targets = new Set<string>();
      for (const { fileName } of imports) {
        const resolved = ts.resolveModuleName(fileName, file, options, ts.sys).resolvedModule;
        if (resolved && sources.has(resolve(resolved.resolvedFileName))) {
          targets.add(resolve(resolved.resolvedFileName));
        }
      }
      graph.set(file, [...targets].sort());
    }
  }
  return graph;
}

/** Tarjan's strongly connected components; groups of two or more files (or a self-import) are cycles. */
function cyclicGroups(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;

  function visit(node: string) {
    index.set(node, next);
    low.set(node, next);
    next++;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1 || graph.get(node)?.includes(node)) groups.push(group.sort());
    }
  }

  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return groups;
}

/** The shortest way from the group's first file back to itself, staying inside the group. */
function cycleThrough(group: string[], graph: Map<string, string[]>): string[] {
  const members = new Set(group);
  const start = group[0]!;
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

const configs = ['apps', 'packages'].flatMap((folder) =>
  ts.sys
    .getDirectories(join(root, folder))
    .map((name) => join(root, folder, name, 'tsconfig.json'))
    .filter((path) => ts.sys.fileExists(path)),
);
const graph = importGraph(configs.map(readProject));
const groups = cyclicGroups(graph);
const show = (file: string) => relative(root, file).split(sep).join('/');

if (groups.length > 0) {
  console.error(
    `Import cycles: ${groups.length} (among ${graph.size} source files of apps/ and packages/)\n`,
  );
  for (const group of groups) {
    console.error(`  ${cycleThrough(group, graph).map(show).join('\n    → ')}`);
    if (group.length > 2)
      console.error(`    (${group.length} files in this knot: ${group.map(show).join(', ')})`);
    console.error('');
  }
  console.error('Break each cycle: move what both sides need into a module that imports neither.');
  process.exit(1);
}
console.log(`No import cycles among ${graph.size} source files of apps/ and packages/.`);
