/**
 * What `tcgen generate` says and returns when it cannot do its work: spec problems (exit 1, each at
 * file:line:col), an output directory it cannot write (exit 1, said plainly), and a bug of its own
 * (exit 70, "internal error", the stack only with --debug). The bug is simulated by making the
 * generator throw an ordinary Error, which is what any bug of it would do.
 */
import { chmod, mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { INTERNAL_ERROR_EXIT_CODE, main } from "../../scripts/cli/main.js";
import { repoRoot, scratchDir } from "../support/helpers.js";

const fixture = path.join(repoRoot, "test/fixtures/specs/cvm/2017-03-12.yaml");
let scratch: string;
let stderr: string[];
beforeAll(async () => {
  scratch = await scratchDir("cli-errors");
});
afterAll(() => rm(scratch, { recursive: true, force: true }));
afterEach(() => {
  vi.restoreAllMocks();
  vi.doUnmock("../../scripts/generate.js");
});

function captureStderr(): void {
  stderr = [];
  vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => void stderr.push(args.join(" ")));
  vi.spyOn(console, "log").mockImplementation(() => undefined);
}

describe("tcgen generate", () => {
  it("a bug of the generator: exit 70, said to be a bug, no stack trace without --debug", async () => {
    vi.doMock("../../scripts/generate.js", () => ({
      generate: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'items')");
      },
    }));
    captureStderr();
    expect(await main(["generate", "--spec", fixture, "--out", path.join(scratch, "a")])).toBe(INTERNAL_ERROR_EXIT_CODE);
    expect(INTERNAL_ERROR_EXIT_CODE).toBe(70);
    const text = stderr.join("\n");
    expect(text).toContain("tcgen: internal error: Cannot read properties of undefined (reading 'items')");
    expect(text).toContain("this is a bug in tcgen, not a problem with the spec");
    expect(text).toContain("--debug");
    expect(text).not.toMatch(/\n\s+at /);
    expect(text).not.toMatch(/^\S+:\d+:\d+: /m);
  });

  it("with --debug, the stack trace follows", async () => {
    vi.doMock("../../scripts/generate.js", () => ({
      generate: () => {
        throw new Error("boom");
      },
    }));
    captureStderr();
    expect(await main(["--debug", "generate", "--spec", fixture, "--out", path.join(scratch, "b")])).toBe(70);
    expect(stderr.join("\n")).toMatch(/tcgen: internal error: boom[\s\S]*\n\s+at /);
  });

  it("an output directory that cannot be written: exit 1, said plainly", async () => {
    const blocked = path.join(scratch, "blocked");
    // A file where the output directory should be.
    await writeFile(blocked, "not a directory");
    captureStderr();
    expect(await main(["generate", "--spec", fixture, "--out", blocked])).toBe(1);
    expect(stderr.join("\n")).toMatch(/^tcgen: cannot write .*blocked: .*; the previous output is unchanged$/m);
    expect(stderr.join("\n")).not.toContain("internal error");
  });

  it.skipIf(process.getuid?.() === 0)("an output directory without write permission: exit 1", async () => {
    const locked = path.join(scratch, "locked");
    await mkdir(locked);
    await chmod(locked, 0o500);
    captureStderr();
    expect(await main(["generate", "--spec", fixture, "--out", locked])).toBe(1);
    await chmod(locked, 0o700);
    expect(stderr.join("\n")).toMatch(/tcgen: cannot write .*EACCES/);
  });

  it("spec problems: exit 1, each at file:line:col, no stack trace", async () => {
    const dir = path.join(scratch, "spec", "cvm");
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, "2017-03-12.yaml"), "openapi: 3.1.0\ninfo: { title: x, version: \"1\" }\nopenapi: again\n");
    captureStderr();
    expect(await main(["generate", "--spec", path.join(scratch, "spec"), "--out", path.join(scratch, "c")])).toBe(1);
    expect(stderr.join("\n")).toMatch(/2017-03-12\.yaml:3:1: YAML: Map keys must be unique; "openapi" is already defined at line 1, column 1/);
    expect(stderr.join("\n")).not.toMatch(/\n\s+at /);
  });

  it("wrong usage: exit 2", async () => {
    captureStderr();
    expect(await main(["generate", "--nope"])).toBe(2);
  });
});

describe("tcgen <command> --help", () => {
  it.each(["generate", "import", "verify"])("%s --help prints the usage and exits 0, writing nothing", async (command) => {
    const out: string[] = [];
    captureStderr();
    vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => void out.push(args.join(" ")));
    expect(await main([command, "--help"])).toBe(0);
    expect(out.join("\n")).toContain(`tcgen ${command} `);
    expect(stderr).toEqual([]);
  });
});
