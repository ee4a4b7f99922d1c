/**
 * Every corpus file converts, and its tree is spec2nexus's but for the documented fixes
 * (reference.ts): the compat style, half 1 of the corpus.
 */
import { referenceSuite } from "./reference.js";

referenceSuite("compat", 0);
