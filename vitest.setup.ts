/**
 * Runs first in every vitest project: property tests use one fixed seed, so CI is reproducible.
 * Set FC_SEED to explore others (fast-check prints the seed and path of any failure).
 */
import { fc } from "@fast-check/vitest";

fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261124) });
