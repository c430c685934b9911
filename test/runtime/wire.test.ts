/** runtime/wire.ts: Tencent's GET form, flattened and back. */
import { describe, expect, it } from "vitest";
import { flattenParams, toQueryString } from "../../runtime/request/wire.js";

describe("flattenParams", () => {
  it("flattens lists by index and objects by member, skipping undefined", () => {
    expect(flattenParams({ InstanceId: "cmgo-1", BackupSets: [{ ReplicaSetId: "r0" }, { ReplicaSetId: "r1" }], Limit: 10, Skip: undefined, Null: null, On: true })).toEqual([
      ["InstanceId", "cmgo-1"],
      ["BackupSets.0.ReplicaSetId", "r0"],
      ["BackupSets.1.ReplicaSetId", "r1"],
      ["Limit", "10"],
      ["Null", ""],
      ["On", "true"],
    ]);
  });
  it("writes the query RFC 3986-encoded, in the order given", () => {
    expect(toQueryString({ Name: "a b!*", "Filters.0": ["x/y"] })).toBe("Name=a%20b%21%2A&Filters.0.0=x%2Fy");
  });
});
