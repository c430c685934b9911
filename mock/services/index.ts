/**
 * The services `tcgen mock --service <name>` can serve with behaviour (a world and its handlers),
 * each loaded only when selected. A service without an entry here is served by `startMock(definition)`
 * from its generated `mock.ts` (examples answered, requests checked).
 */
import type { RunningMock } from "../server.js";
import type { MockFaults } from "../faults.js";
import type { Credentials } from "../../runtime/credentials.js";

export interface ServiceCliOptions {
  readonly port: number;
  readonly host: string;
  readonly faults: MockFaults;
  readonly credentials?: Credentials;
  /** The service's own flags, parsed by `flags`. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
}

export interface MockService {
  /** `mongodb 2019-07-25`, for the banner. */
  readonly label: string;
  /** Flags only this service takes (parseArgs options) and their help lines. */
  readonly flags: Readonly<Record<string, { type: "string" | "boolean" }>>;
  readonly help: string;
  start(options: ServiceCliOptions, fail: (message: string) => never): Promise<RunningMock>;
}

export const MOCK_SERVICES: Readonly<Record<string, () => Promise<MockService>>> = {
  mongodb: async () => (await import("./mongodb/cli.js")).mongodbCli,
};
