#!/usr/bin/env node
// The published `tcgen`: the bundled command in dist/cli/ (scripts/package/cli.ts), which carries the
// generator's own dependencies, so nothing but tcgen needs to be installed.
import { launch } from "./launch.js";

launch("tcgen", "../dist/cli/tcgen.js");
