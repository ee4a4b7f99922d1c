import { defineProject } from "vitest/config";

export default defineProject({
  test: {
    name: "spec-parser",
    include: ["test/**/*.test.ts"],
  },
});
