#!/usr/bin/env node
// Committed shim: npm links bin/ before dist/ exists, so the entry point must not be a build output.
import { main } from "../dist/cli.js";

process.exitCode = await main(process.argv);
