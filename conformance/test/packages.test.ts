/**
 * The packages as a user installs them (in the spirit of hyparquet's package.test.js): what each
 * depends on, that its sources import nothing it does not declare, and that every entry of its
 * `exports` map (and its `bin`) is a file once built and ships in its `files`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { join, resolve } from "node:path";
import { describe, expect, test } from "vitest";

const root = resolve(import.meta.dirname, "../..");

/**
 * The runtime dependencies of every published package, and why: the parser reads SPEC with
 * chevrotain alone; the conversion is the only package that needs the parser, the writer and
 * the documents together, apart from the command line; NeXus output needs the parser and h5wasm;
 * what a scan shows (summary, statistics, tables, mesh grid) needs the parser alone. The viewer
 * ships a built site (dist/site): what its sources import is bundled into it at build time, so it
 * has no dependency at run time (its build inputs are devDependencies, {@link SITE_SOURCES}); live
 * document streams need the documents' decoders and 0MQ.
 */
const DEPENDENCIES: Record<string, string[]> = {
  "@specx/spec-parser": ["chevrotain"],
  "@specx/documents": ["ajv"],
  "@specx/spec-writer": ["@specx/documents", "@specx/spec-parser"],
  "@specx/conversion": ["@specx/documents", "@specx/spec-parser", "@specx/spec-writer"],
  "@specx/nexus": ["@specx/scan-data", "@specx/spec-parser", "h5wasm"],
  "@specx/scan-data": ["@specx/spec-parser"],
  "@specx/live-stream": ["@specx/documents", "zeromq"],
  "@specx/viewer": [],
  "@specx/cli": [
    "@resvg/resvg-js",
    "@specx/conversion",
    "@specx/documents",
    "@specx/live-stream",
    "@specx/nexus",
    "@specx/scan-data",
    "@specx/spec-parser",
    "@specx/spec-writer",
    "@specx/viewer",
    "commander",
  ],
};

/** The published packages whose tests use the private `@specx/test-support` (a devDependency). */
const TESTED_WITH_TEST_SUPPORT = [
  "@specx/cli",
  "@specx/conversion",
  "@specx/documents",
  "@specx/live-stream",
  "@specx/nexus",
  "@specx/scan-data",
  "@specx/spec-parser",
  "@specx/spec-writer",
  "@specx/viewer",
];

/** The packages the viewer's page bundles (packages/viewer/scripts/build.mjs): build inputs. */
const SITE_SOURCES: Record<string, string[]> = {
  "@specx/viewer": [
    "@specx/conversion",
    "@specx/documents",
    "@specx/scan-data",
    "@specx/spec-parser",
  ],
};

/**
 * Test-only tools beyond `@specx/test-support`, and the check they serve: h5web's own viewer,
 * bundled and driven in Chromium, must plot a converted file (packages/nexus/test/h5web.test.ts);
 * the viewer's page is bundled with esbuild and driven in Chromium (packages/viewer/test), and so
 * is the page `specx view` serves (packages/cli/test/view.test.ts); the live stream's README
 * example feeds the SPEC writer (packages/live-stream/test/example.test.ts).
 */
const TEST_TOOLS: Record<string, string[]> = {
  "@specx/nexus": [
    "@h5web/app",
    "@h5web/h5wasm",
    "esbuild",
    "playwright-core",
    "react",
    "react-dom",
  ],
  "@specx/viewer": ["esbuild", "playwright-core"],
  "@specx/cli": ["playwright-core"],
  "@specx/live-stream": ["@specx/spec-writer"],
};

interface Manifest {
  name: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  exports?: unknown;
  bin?: string | Record<string, string>;
  files?: string[];
}

/** Every workspace (the root package.json's `workspaces`), with its folder. */
function workspaces(): { dir: string; manifest: Manifest }[] {
  const globs: string[] = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).workspaces;
  return globs
    .flatMap((glob) =>
      glob.endsWith("/*")
        ? readdirSync(join(root, glob.slice(0, -2))).map((name) => join(glob.slice(0, -2), name))
        : [glob],
    )
    .map((path) => join(root, path))
    .filter((dir) => existsSync(join(dir, "package.json")))
    .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) }));
}

/** The TypeScript files under `dir`. */
function sources(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

/**
 * The packages a source imports (`@scope/name` or `name`), builtins left out, and those whose
 * files it locates with `require.resolve` (`specx view` serves the viewer's built site).
 */
function importedPackages(text: string): Set<string> {
  const found = new Set<string>();
  const specifiers =
    /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\bresolve\(\s*)["']([^"'./][^"']*)["']/g;
  for (const [, specifier = ""] of text.matchAll(specifiers)) {
    if (specifier.startsWith("node:") || builtinModules.includes(specifier.split("/")[0] ?? ""))
      continue;
    const parts = specifier.split("/");
    found.add(specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? ""));
  }
  return found;
}

/** The file paths an `exports` value names, whatever its conditions. */
function exportTargets(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(exportTargets);
  return [];
}

const all = workspaces();

test("every published package has its dependencies listed here", () => {
  const published = all.filter(({ manifest }) => !manifest.private).map((w) => w.manifest.name);
  expect(published.sort()).toEqual(Object.keys(DEPENDENCIES).sort());
});

describe.each(all.map((w) => [w.manifest.name, w] as const))("%s", (name, { dir, manifest }) => {
  const dependencies = Object.keys(manifest.dependencies ?? {}).sort();

  // Registered only where they apply (the private workspaces publish nothing), so that no test
  // of this file is ever reported skipped.
  if (name in DEPENDENCIES)
    test("depends on what it should, and nothing else", () => {
      expect(dependencies).toEqual(DEPENDENCIES[name]);
      // A published package's devDependencies are the private test tooling its tests use, and
      // the tools of a check that needs more (TEST_TOOLS).
      expect(Object.keys(manifest.devDependencies ?? {}).sort()).toEqual(
        [
          ...(TESTED_WITH_TEST_SUPPORT.includes(name) ? ["@specx/test-support"] : []),
          ...(TEST_TOOLS[name] ?? []),
          ...(SITE_SOURCES[name] ?? []),
        ].sort(),
      );
    });

  test("its sources import only what it declares, and use every dependency", () => {
    const imported = new Set<string>();
    for (const file of sources(join(dir, "src")))
      for (const pkg of importedPackages(readFileSync(file, "utf8"))) imported.add(pkg);
    imported.delete(name);
    const declared = [...dependencies, ...(SITE_SOURCES[name] ?? [])];
    expect([...imported].filter((pkg) => !declared.includes(pkg)).sort()).toEqual([]);
    if (!manifest.private)
      expect(dependencies.filter((pkg) => !imported.has(pkg)).sort()).toEqual([]);
  });

  if (manifest.exports !== undefined || manifest.bin !== undefined)
    test("every exports entry and bin is a file that it ships", () => {
      const targets = [
        ...exportTargets(manifest.exports),
        ...(typeof manifest.bin === "string" ? [manifest.bin] : Object.values(manifest.bin ?? {})),
      ];
      expect(targets.length).toBeGreaterThan(0);
      for (const target of targets) {
        expect(existsSync(join(dir, target)), `${name}: ${target}`).toBe(true);
        const top = target.replace(/^\.\//, "").split("/")[0] ?? "";
        if (top !== "package.json")
          expect(manifest.files ?? [], `${name}: ${target} in files`).toContain(top);
      }
    });

  if (manifest.exports !== undefined)
    test("every exports entry imports", async () => {
      for (const subpath of Object.keys(manifest.exports as object)) {
        if (subpath.endsWith(".json")) continue;
        const module = await import(`${name}${subpath.slice(1)}`);
        expect(Object.keys(module).length, `${name}${subpath.slice(1)}`).toBeGreaterThan(0);
      }
    });
});

/** The names of the types (interfaces, type aliases, classes, enums) a package's sources export. */
function exportedTypeNames(dir: string): Set<string> {
  const declaration = /^export (?:declare )?(?:abstract )?(?:interface|type|class|enum) (\w+)/gm;
  const names = new Set<string>();
  for (const file of sources(join(dir, "src")))
    for (const [, name = ""] of readFileSync(file, "utf8").matchAll(declaration)) names.add(name);
  return names;
}

/** A package that a program imports: it exports a module, not only files (the viewer's site). */
function hasModules(manifest: Manifest): boolean {
  return exportTargets(manifest.exports).some((target) => target.endsWith(".js"));
}

test("no two published packages export types of the same name", () => {
  const owners = new Map<string, string[]>();
  for (const { dir, manifest } of all.filter((w) => !w.manifest.private && hasModules(w.manifest)))
    for (const type of exportedTypeNames(dir))
      owners.set(type, [...(owners.get(type) ?? []), manifest.name]);
  // Spot-check that the scan found the declarations at all: each package has its own.
  expect(owners.get("SpecFile")).toEqual(["@specx/spec-parser"]);
  expect(owners.get("HeaderSettings")).toEqual(["@specx/spec-writer"]);
  const shared = [...owners].filter(([, packages]) => packages.length > 1);
  expect(shared).toEqual([]);
});
