/** The usage text of `tcgen diff`, apart from the command so the CLI can show it without loading the stage. */
export const DIFF_USAGE = `  tcgen diff <old> <new> [options]
  tcgen diff --base <rev> [--head <rev>] [<path>] [options]
  tcgen diff --since-release [<path>] [options]
      Every change between two specs (files, directories, or <path> at git revisions; <path> defaults
      to spec), classified for consumers of the generated client as breaking, additive or neutral,
      each at its file:line:col with the generated names it affects, and the release it needs.
      --since-release compares with the last release tag (v<x.y.z>) reachable from HEAD.
      --json                 the result as JSON
      --fail-on <class>      breaking (default), additive, neutral or never: exit 1 at or above it
      --check-version        exit 1 unless package.json's version covers the changes since --base
                             (implies --fail-on never); passes when there is no release tag yet
      --changelog            write the release's entry into CHANGELOG.md (or --changelog-file <path>)
      --date <YYYY-MM-DD>    the entry's date (default: today, UTC)
      exit: 0 pass, 1 gate failed, 2 usage, 3 a spec is invalid or cannot be read`;
