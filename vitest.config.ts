import { defineConfig } from "vitest/config";

// Root run: every package's own vitest project in one process.
export default defineConfig({
  test: {
    projects: ["packages/*", "conformance"],
  },
});
