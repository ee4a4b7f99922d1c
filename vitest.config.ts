import { defineConfig } from "vitest/config";

// Root run: every package's own vitest project in one process. The JSON report lets .ci/run
// print a plain "N passed, N failed" closing line.
export default defineConfig({
  test: {
    projects: ["packages/*", "conformance"],
    reporters: ["default", "json"],
    outputFile: { json: "test-results/vitest.json" },
  },
});
