// pnpm hook: lets better-sqlite3 compile offline against the Node headers already on this machine.
//
// better-sqlite3 first tries to download a prebuilt binary, then falls back to node-gyp, which
// downloads Node's headers unless `npm_config_nodedir` points at a local copy. pnpm ≥ 11 passes
// neither the user's npmrc `nodedir` nor most environment variables to dependency scripts, so the
// project sets it here (pnpm ≥ 11.20: `updateConfig` may add `extraEnv`). See docs/operations.md.
'use strict';

const { existsSync } = require('node:fs');
const { dirname, join } = require('node:path');

/** Directories whose `include/node/node.h` node-gyp can build against, most specific first. */
function candidateNodeDirs() {
  const fromEnv = process.env.npm_config_nodedir;
  // The running Node's own prefix (`/usr` for Debian's nodejs, `/usr/local` or `~/.nvm/...` for
  // the official tarball, both of which ship include/node).
  const prefix = dirname(dirname(process.execPath));
  return [fromEnv, prefix, '/usr', '/usr/local'].filter(Boolean);
}

function findNodeDir() {
  for (const dir of candidateNodeDirs()) {
    if (
      existsSync(join(dir, 'include', 'node', 'node.h')) &&
      existsSync(join(dir, 'include', 'node', 'common.gypi'))
    ) {
      return dir;
    }
  }
  return undefined;
}

let warned = false;

module.exports = {
  hooks: {
    updateConfig(config) {
      const nodedir = findNodeDir();
      if (nodedir) {
        config.extraEnv = { ...config.extraEnv, npm_config_nodedir: nodedir };
      } else if (!warned) {
        warned = true;
        process.stderr.write(
          [
            '',
            'Gatehouse: Node.js C headers not found (looked for include/node/node.h under ' +
              `${candidateNodeDirs().join(', ')}).`,
            '  better-sqlite3 compiles from source when its prebuilt binary cannot be downloaded, and',
            '  without local headers node-gyp tries to download them from nodejs.org.',
            '  Fix: install the headers for this Node (Debian: `apt-get install libnode-dev`, or use the',
            '  official Node.js tarball, which ships include/node), or set npm_config_nodedir to a',
            '  directory holding include/node, then run `pnpm install` again.',
            '',
          ].join('\n'),
        );
      }
      return config;
    },
  },
};
