import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "nexus",
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every project (see the file).
    setupFiles: ["../../vitest.setup.ts"],
    testTimeout: 60_000,
  },
});
