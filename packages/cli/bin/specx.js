#!/usr/bin/env node
// Committed shim: npm links bin/ before dist/ exists, so the entry point must not be a build output.
import { main } from "../dist/cli.js";

// A reader that stops early (`specx print big.spec | head`) is not an error: exit quietly.
process.stdout.on("error", (error) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv);
