#!/usr/bin/env node
'use strict';
// The npm entry point: runs the native manglecheck binary of this platform
// with the same arguments, stdio and exit status.
const { spawnSync } = require('child_process');
const { binaryPath } = require('../lib/binary.js');

let bin;
try {
  bin = binaryPath();
} catch (e) {
  process.stderr.write(e.message + '\n');
  process.exit(2);
}
const r = spawnSync(bin, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (r.error) {
  process.stderr.write(`manglecheck: cannot run ${bin}: ${r.error.message}\n`);
  process.exit(2);
}
if (r.signal) {
  process.kill(process.pid, r.signal);
}
process.exit(r.status === null ? 2 : r.status);
