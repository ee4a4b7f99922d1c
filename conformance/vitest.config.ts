import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "conformance",
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every project (see the file).
    setupFiles: ["../vitest.setup.ts"],
    testTimeout: 120_000,
  },
});
