# Sourced by the kubectl plugin wrappers in this directory (not executable by itself). Expects $self (the wrapper's
# resolved path) and $entry (the TypeScript entry point under src/plugins); runs the entry on a Node.js >= 22:
#   1. $KCP_TS_NODE, if set;
#   2. the repository's own Node (<repo>/tools/node/package/bin/node, fetched by `make deps`);
#   3. `node` on PATH, if its major version is at least 22.
# Node 22 needs --experimental-strip-types to run .ts files; 23 and later strip types by default.

bin_dir=$(cd "${self%/*}" && pwd -P)
repo=$(cd "$bin_dir/../../.." && pwd -P)
script=$bin_dir/../src/plugins/$entry
repo_node=$repo/tools/node/package/bin/node

node_major() {
  "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

if [ -n "${KCP_TS_NODE:-}" ]; then
  node=$KCP_TS_NODE
elif [ -x "$repo_node" ]; then
  node=$repo_node
else
  node=$(command -v node 2>/dev/null || true)
fi

# The repository's Node is known to be new enough; anything else is asked for its version (one extra process).
major=24
if [ "$node" != "$repo_node" ]; then
  major=$(node_major "${node:-node}")
fi
if [ -z "$node" ] || [ "$major" -lt 22 ]; then
  echo "${self##*/}: needs Node.js >= 22: set KCP_TS_NODE, run 'make deps' in $repo, or put a newer node on PATH" >&2
  exit 1
fi

if [ "$major" -lt 23 ]; then
  exec "$node" --experimental-strip-types --disable-warning=ExperimentalWarning "$script" "$@"
fi
exec "$node" "$script" "$@"
