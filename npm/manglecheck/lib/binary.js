'use strict';
// Finds the manglecheck executable: the per-platform package npm installed
// through optionalDependencies (only the one whose "os" and "cpu" match),
// or MANGLECHECK_BINARY_PATH when set (a binary built from source).
const fs = require('fs');
const path = require('path');

// platforms maps `${process.platform}-${process.arch}` to the package that
// holds its binary; npm/build.sh builds exactly these.
const platforms = {
  'darwin-arm64': '@manglecheck/darwin-arm64',
  'darwin-x64': '@manglecheck/darwin-x64',
  'linux-arm64': '@manglecheck/linux-arm64',
  'linux-x64': '@manglecheck/linux-x64',
  'win32-arm64': '@manglecheck/win32-arm64',
  'win32-x64': '@manglecheck/win32-x64',
};

function platformPackage(platform = process.platform, arch = process.arch) {
  return platforms[`${platform}-${arch}`];
}

// binaryPath returns the executable's path or throws an Error that says
// what to do.
function binaryPath() {
  const override = process.env.MANGLECHECK_BINARY_PATH;
  if (override) {
    if (!fs.existsSync(override)) {
      throw new Error(`MANGLECHECK_BINARY_PATH=${override}: no such file`);
    }
    return override;
  }
  const pkg = platformPackage();
  if (!pkg) {
    throw new Error(
      `manglecheck has no binary for ${process.platform}-${process.arch} ` +
        `(supported: ${Object.keys(platforms).join(', ')}). ` +
        'Install it with Go instead: go install github.com/manglecheck/manglecheck/cmd/manglecheck@latest',
    );
  }
  const exe = process.platform === 'win32' ? 'manglecheck.exe' : 'manglecheck';
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    throw new Error(
      `manglecheck: the package ${pkg} with the binary for this platform is not installed. ` +
        'npm installs it as an optional dependency of manglecheck: reinstall without ' +
        '--no-optional / --omit=optional (and delete the lock file if it was made on another platform).',
    );
  }
}

module.exports = { binaryPath, platformPackage, platforms };
