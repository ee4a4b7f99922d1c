import { defineConfig } from "vitest/config";

// Root run: every package's own vitest project in one process. The JSON report lets .ci/run
// print a plain "N passed, N failed" closing line.
export default defineConfig({
  test: {
    projects: ["packages/*", "conformance"],
    // Two test files at a time: vitest's default is one fewer than the cores, which is one on a
    // 2-core CI machine, while many tests wait on a child (Python, h5py, the CLI, Chromium).
    maxWorkers: 2,
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
