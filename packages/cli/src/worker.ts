/** A worker thread of {@link mapFiles}: imports each job's module and runs its function. */
import { serveJobs, type WorkerJobFunction } from "./job-server.js";

serveJobs(async (job) => (await import(job.module))[job.name] as WorkerJobFunction);
