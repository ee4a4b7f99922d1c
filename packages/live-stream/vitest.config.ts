import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "live-stream",
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every project (see the file).
    setupFiles: ["../../vitest.setup.ts"],
    // Tests replay whole runs through real 0MQ sockets and Python publishers.
    testTimeout: 120_000,
  },
});
