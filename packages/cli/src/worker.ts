/** A worker thread of {@link mapFiles}, from the ES modules of dist/ (job-server.ts). */
import { serveJobs } from "./job-server.js";

serveJobs();
