#!/usr/bin/env node
// The published backup job: the compiled command (`npm run build` writes dist/).
import { launch } from "./launch.js";

launch("tcgen-backup", "../dist/jobs/backup/bin.js");
