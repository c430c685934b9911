/** tcgen's own version, sent as `X-TC-RequestClient: tcgen/<version>`. A test keeps it equal to package.json's. */
export const TCGEN_VERSION = "0.1.0";
