import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "scan-data",
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every project (see the file).
    setupFiles: ["../../vitest.setup.ts"],
  },
});
