/** A download in its own process, for test/jobs/download.test.ts to kill mid-way: `<url> <target> <size>`. */
import { downloadFile } from "../../jobs/backup/download.js";

const [url, target, size] = process.argv.slice(2);
await downloadFile({ url: url!, target: target!, expectedSize: Number(size), stallMs: 600_000 });
