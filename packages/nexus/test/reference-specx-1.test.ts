/**
 * Every corpus file converts, and its tree is spec2nexus's but for the documented fixes
 * (reference.ts): the specx style, half 1 of the corpus.
 */
import { referenceSuite } from "./reference.js";

referenceSuite("specx", 0);
