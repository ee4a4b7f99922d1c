import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "nexus",
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every project (see the file).
    setupFiles: ["../../vitest.setup.ts"],
    // A conversion writes tens of thousands of HDF5 objects: the corpus's largest files take
    // 10 to 75 s each on a shared 2-core machine (docs/nexus.md, Speed).
    testTimeout: 300_000,
  },
});
