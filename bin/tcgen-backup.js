#!/usr/bin/env node
// The published entry point of the backup job runs the compiled command (`npm run build` writes dist/).
import "../dist/jobs/backup/bin.js";
