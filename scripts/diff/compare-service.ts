/**
 * The service as a whole: its API version, its endpoints (`servers`) and everything else at the
 * document root that no other comparator reads (info, tags, security schemes, extensions), which
 * only documents the service. Pure.
 */
import type { RawChange } from "./change.js";
import type { InventoryPair } from "./inventory.js";
import { isObject, type Json, jsonEqual, pointerTo } from "../lib/utils.js";
import { show, unionKeys } from "./util.js";

type Emit = (change: RawChange) => void;

/** Root keys compared by a comparator of their own. */
const COMPARED_ELSEWHERE = new Set(["paths", "x-tc-common-errors", "x-tc-waiters", "x-tc-service", "x-tc-version", "servers", "components"]);

export function compareService(pair: InventoryPair, emit: Emit): void {
  const o = pair.old.side.root;
  const n = pair.new.side.root;
  const service = pair.new.service;
  if (o["x-tc-version"] !== n["x-tc-version"]) {
    emit({ kind: "service-version-changed", subject: service, detail: `API version ${show(o["x-tc-version"])} → ${show(n["x-tc-version"])}`, oldPointer: "/x-tc-version", newPointer: "/x-tc-version" });
  }
  compareServers(o, n, service, emit);

  const documentation: string[] = [];
  for (const key of unionKeys(o, n)) {
    if (!COMPARED_ELSEWHERE.has(key) && !jsonEqual(o[key], n[key])) documentation.push(key);
  }
  const oldComponents = isObject(o["components"]) ? o["components"] : {};
  const newComponents = isObject(n["components"]) ? n["components"] : {};
  for (const key of unionKeys(oldComponents, newComponents)) {
    if (key !== "schemas" && !jsonEqual(oldComponents[key], newComponents[key])) documentation.push(`components.${key}`);
  }
  if (documentation.length > 0) {
    const first = documentation[0]!.replace(/^components\./, "components/");
    emit({ kind: "docs-changed", subject: service, detail: `${documentation.join(", ")} changed`, oldPointer: "", newPointer: `/${first}` });
  }
}

function compareServers(o: Json, n: Json, service: string, emit: Emit): void {
  const before = urls(o["servers"]);
  const after = urls(n["servers"]);
  if (before[0] !== after[0]) {
    emit({ kind: "endpoint-changed", subject: service, detail: `default endpoint ${show(before[0])} → ${show(after[0])}`, oldPointer: "/servers/0/url", newPointer: "/servers/0/url" });
  }
  after.forEach((url, i) => {
    if (i > 0 && !before.slice(1).includes(url)) emit({ kind: "endpoint-added", subject: service, detail: `endpoint ${show(url)} added`, newPointer: pointerTo("/servers", i, "url") });
  });
  before.forEach((url, i) => {
    if (i > 0 && !after.slice(1).includes(url)) emit({ kind: "endpoint-removed", subject: service, detail: `endpoint ${show(url)} removed`, oldPointer: pointerTo("/servers", i, "url"), newPointer: "/servers" });
  });
  // What is left of the servers (descriptions, variables) documents them.
  const rest = (servers: unknown) => (Array.isArray(servers) ? servers.map((s) => (isObject(s) ? { ...s, url: undefined } : s)) : servers);
  const sameUrls = jsonEqual(before, after);
  if (sameUrls && !jsonEqual(rest(o["servers"]), rest(n["servers"]))) {
    emit({ kind: "docs-changed", subject: service, detail: "servers' descriptions or variables changed", oldPointer: "/servers", newPointer: "/servers" });
  }
}

function urls(servers: unknown): string[] {
  return Array.isArray(servers) ? servers.map((s) => String(isObject(s) ? s["url"] : "").replace(/\/$/, "")) : [];
}
