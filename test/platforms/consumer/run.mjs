// Node, Bun and Deno: `<runtime> run.mjs <endpoint> <secret id> <secret key>` prints one JSON line.
import { oneCall } from "./one-call.mjs";

const [endpoint, secretId, secretKey] = process.argv.slice(2);
console.log(JSON.stringify(await oneCall({ endpoint, secretId, secretKey })));
