// The test page of h5web.test.ts: h5web's own viewer (@h5web/app with the @h5web/h5wasm
// provider) opens the file named by `?file=` from the page's server, as a user of h5web would.
import "@h5web/app/styles.css";
import { App } from "@h5web/app";
import { H5WasmBufferProvider } from "@h5web/h5wasm";
import { createElement, StrictMode } from "react";
import { createRoot } from "react-dom/client";

const name = new URLSearchParams(location.search).get("file") ?? "";
const response = await fetch(name);
if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
const buffer = await response.arrayBuffer();

const root = document.getElementById("root");
if (!root) throw new Error("the page has no #root");
createRoot(root).render(
  createElement(
    StrictMode,
    null,
    createElement(H5WasmBufferProvider, { filename: name, buffer }, createElement(App)),
  ),
);
