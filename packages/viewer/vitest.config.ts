import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "viewer",
    include: ["test/**/*.test.ts"],
    // One fast-check seed for every project (see the file).
    setupFiles: ["../../vitest.setup.ts"],
    // Browser tests start Debian's Chromium and open every corpus file in the page.
    testTimeout: 300_000,
    hookTimeout: 120_000,
  },
});
