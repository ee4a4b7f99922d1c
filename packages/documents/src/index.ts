/**
 * @specx/documents: bluesky event-model documents shared by the specx packages.
 */
export * from "./values.js";
