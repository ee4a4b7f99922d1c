import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "spec-writer",
    include: ["test/**/*.test.ts"],
  },
});
