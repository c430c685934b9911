/**
 * `tcgen`: the command line. `generate` runs the generator; `mock` serves a generated service on
 * loopback. Exit codes: 0 done, 1 spec problems or stale files, 2 wrong usage.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";

const USAGE = `usage:
  tcgen generate [--spec <file|dir>] [--out <dir>] [--check] [--runtime-import <specifier>]
      Generate typed clients from OpenAPI specs (default --spec spec --out generated).
      --check writes nothing and exits 1 naming each file that is not what the spec generates.
  tcgen mock [--service <name>] [--port <n>] [--host <addr>] [--secret-id <id> --secret-key <key>]
      Serve a generated service on loopback (default 127.0.0.1, a free port) until SIGINT/SIGTERM.`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === "generate") return await runGenerate(rest);
    if (command === "mock") return await runMock(rest);
    if (command === "help" || command === "--help" || command === "-h") {
      console.log(USAGE);
      return 0;
    }
    throw new UsageError(command === undefined ? "no command given" : `unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`tcgen: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    throw error;
  }
}

async function runGenerate(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      spec: { type: "string", default: "spec" },
      out: { type: "string", default: "generated" },
      check: { type: "boolean", default: false },
      "runtime-import": { type: "string" },
    },
  });
  // The generator's own dependencies are dev dependencies of tcgen: load them only for this command.
  const [{ generate }, { SpecError }] = await Promise.all([import("./generate.js"), import("./problems.js")]).catch(
    (error: unknown) => {
      throw new Error(
        `tcgen generate needs openapi-typescript, typescript, yaml, handlebars and prettier installed next to tcgen (${(error as Error).message})`,
      );
    },
  );
  try {
    const result = await generate({
      spec: values.spec,
      out: values.out,
      check: values.check,
      ...(values["runtime-import"] ? { runtimeImport: values["runtime-import"] } : {}),
    });
    if (values.check) {
      for (const { file, reason } of result.stale) console.error(`${path.join(values.out, file)}: stale (${reason})`);
      if (result.stale.length > 0) {
        console.error(`tcgen: ${result.stale.length} generated file(s) out of date; run \`tcgen generate\``);
        return 1;
      }
      console.log(`tcgen: ${result.files.length} generated files are up to date`);
      return 0;
    }
    console.log(`tcgen: wrote ${result.files.length} files to ${values.out}/`);
    return 0;
  } catch (error) {
    if (!(error instanceof SpecError)) throw error;
    console.error(error.message);
    console.error(`tcgen: ${error.problems.length} problem(s); nothing was written`);
    return 1;
  }
}

async function runMock(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      service: { type: "string" },
      port: { type: "string", default: "0" },
      host: { type: "string", default: "127.0.0.1" },
      "secret-id": { type: "string" },
      "secret-key": { type: "string" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be 0-65535, got "${values.port}"`);
  if (Boolean(values["secret-id"]) !== Boolean(values["secret-key"])) throw new UsageError("--secret-id and --secret-key go together");

  const generatedDir = new URL("../generated/", import.meta.url);
  const services = readdirSync(generatedDir, { withFileTypes: true }).filter((d) => d.isDirectory() && !d.name.startsWith(".")).map((d) => d.name);
  const service = values.service ?? (services.length === 1 ? services[0] : undefined);
  if (service === undefined || !services.includes(service)) {
    throw new UsageError(values.service ? `no generated service "${values.service}" (have: ${services.join(", ")})` : `choose --service (have: ${services.join(", ")})`);
  }
  const [{ startMockServer }, definitionModule] = await Promise.all([
    import("../runtime/mock.js"),
    import(new URL(`${service}/mock.js`, generatedDir).href) as Promise<Record<string, unknown>>,
  ]);
  const definition = definitionModule[`${service}Mock`] as import("../runtime/mock.js").MockServiceDefinition;
  const mock = await startMockServer(definition, {
    port,
    host: values.host,
    ...(values["secret-id"] && values["secret-key"] ? { credentials: { secretId: values["secret-id"], secretKey: values["secret-key"] } } : {}),
  });
  console.log(`tcgen mock: ${definition.service} ${definition.version} listening on ${mock.url}`);
  console.log(`  endpoint:   ${mock.url}`);
  console.log(`  secret id:  ${mock.credentials.secretId}`);
  console.log(`  secret key: ${values["secret-key"] ? "(as given)" : mock.credentials.secretKey}`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await mock.close();
  console.log("tcgen mock: stopped");
  return 0;
}
