# Source this file: it makes a Node 24 binary the first `node` on PATH.
# On a machine whose Node is older, it installs the npm package `node@24` into a cache
# directory once (MKG_NODE_CACHE, default $HOME/.cache/node24) and reuses it afterwards.
# Usage: . scripts/node24.sh
mkg_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(mkg_node_major)" -lt 24 ]; then
  MKG_NODE_CACHE="${MKG_NODE_CACHE:-$HOME/.cache/node24}"
  if ! "$MKG_NODE_CACHE/node_modules/.bin/node" --version >/dev/null 2>&1; then
    echo "node24.sh: installing node@24 into $MKG_NODE_CACHE" >&2
    npm install --silent --no-audit --no-fund --prefix "$MKG_NODE_CACHE" node@24 >&2 || {
      echo "node24.sh: could not install node@24 from the npm registry" >&2; return 1 2>/dev/null || exit 1; }
  fi
  PATH="$MKG_NODE_CACHE/node_modules/.bin:$PATH"
  export PATH
  hash -r
  if [ "$(mkg_node_major)" -lt 24 ]; then
    echo "node24.sh: $MKG_NODE_CACHE/node_modules/.bin/node is not Node 24" >&2; return 1 2>/dev/null || exit 1
  fi
fi
unset -f mkg_node_major
