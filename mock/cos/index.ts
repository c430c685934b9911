/** The COS-like object server of the emulator: presigned URLs, ranges, CRC-64 headers, injected faults. */
export { startCosServer } from "./server.js";
export type { CosFault, CosObject, CosRequestLog, CosServerOptions, PresignOptions, RunningCosServer } from "./server.js";
export type { CosSecret } from "./sign.js";
export { bytesOf, type ObjectContent } from "./objects.js";
