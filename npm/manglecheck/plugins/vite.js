'use strict';
// Vite, Rollup and Rolldown plugin: after the bundle is written, checks the
// emitted chunks (with the maps next to them), reports each finding through
// the bundler's logger and fails the build on findings at or above failOn.
//
//   import manglecheck from 'manglecheck/vite';
//   export default defineConfig({ build: { sourcemap: true }, plugins: [manglecheck()] });
const path = require('path');
const { checkFiles, summarize, jsFile } = require('../lib/index.js');

function manglecheck(options = {}) {
  return {
    name: 'manglecheck',
    apply: 'build',
    enforce: 'post',
    async writeBundle(outputOptions, bundle) {
      const dir = outputOptions.dir || (outputOptions.file && path.dirname(outputOptions.file));
      if (!dir) return;
      const files = Object.values(bundle)
        .filter((c) => c.type === 'chunk' && jsFile.test(c.fileName))
        .map((c) => path.resolve(dir, c.fileName));
      if (files.length === 0) return;
      const cwd = options.cwd || process.cwd();
      const s = summarize(await checkFiles(files, { ...options, cwd }), cwd);
      for (const line of s.infos) this.info ? this.info(line) : this.warn(line);
      for (const line of s.warnings) this.warn(line);
      if (s.failed) {
        this.error(`${s.summary}\n${s.errors.join('\n')}`);
      }
      for (const line of s.errors) this.warn(line);
    },
  };
}

module.exports = manglecheck;
module.exports.default = manglecheck;
module.exports.manglecheck = manglecheck;
