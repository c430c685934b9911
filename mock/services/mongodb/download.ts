/** The emulator serves the download `Url` of a finished task itself, so the whole job runs on loopback. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { MockRoute } from "../../server.js";
import { fileChunk, type MongodbWorld } from "./world.js";

export const DOWNLOAD_PATH = "/backup-files/";
const CHUNK = 64 * 1024;

/** The URL of a task's file, on the host the client reached the emulator at. */
export function downloadUrl(baseUrl: string, taskId: number, replicaSetId: string): string {
  return `${baseUrl}${DOWNLOAD_PATH}${taskId}/${encodeURIComponent(replicaSetId)}.tar`;
}

/** `GET /backup-files/<task>/<name>`: the task's deterministic file, with Content-Length, once Status is 2. */
export function downloadRoute(world: MongodbWorld, now: () => number): MockRoute {
  return (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? "";
    if (!url.startsWith(DOWNLOAD_PATH)) return false;
    const id = Number(url.slice(DOWNLOAD_PATH.length).split("/")[0]);
    const task = world.tasks.find((t) => t.id === id);
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { Allow: "GET, HEAD" }).end();
      return true;
    }
    if (!task || world.statusOf(task, now()).Status !== 2) {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("no such finished download task\n");
      return true;
    }
    const size = world.fileBytes;
    res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(size) });
    if (req.method === "HEAD") {
      res.end();
      return true;
    }
    let offset = 0;
    const pump = () => {
      while (offset < size) {
        const length = Math.min(CHUNK, size - offset);
        const more = res.write(fileChunk(task.id, offset, length));
        offset += length;
        if (!more) return void res.once("drain", pump);
      }
      res.end();
    };
    res.on("close", () => (offset = size));
    pump();
    return true;
  };
}
