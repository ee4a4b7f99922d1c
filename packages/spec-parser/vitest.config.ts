import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "spec-parser",
    include: ["test/**/*.test.ts"],
    testTimeout: 120_000,
    setupFiles: ["test/setup.ts"],
  },
});
