'use strict';
// esbuild plugin (JavaScript API): when the build ends, checks the output
// files (with their maps) and returns each finding as an esbuild error or
// warning, so the build fails on findings at or above failOn.
//
//   const manglecheck = require('manglecheck/esbuild');
//   await esbuild.build({ bundle: true, minify: true, sourcemap: true, outdir: 'dist', plugins: [manglecheck()] });
const path = require('path');
const { checkFiles, summarize, jsFile } = require('../lib/index.js');

function manglecheck(options = {}) {
  return {
    name: 'manglecheck',
    setup(build) {
      // The metafile lists the files written; it costs little.
      build.initialOptions.metafile = true;
      build.onEnd(async (result) => {
        if (result.errors.length > 0 || !result.metafile || build.initialOptions.write === false) return;
        const cwd = build.initialOptions.absWorkingDir || process.cwd();
        const files = Object.keys(result.metafile.outputs)
          .filter((f) => jsFile.test(f))
          .map((f) => path.resolve(cwd, f));
        if (files.length === 0) return;
        const s = summarize(await checkFiles(files, { ...options, cwd }), cwd);
        const msg = (text) => ({ text, pluginName: 'manglecheck' });
        const warnings = s.warnings.map(msg);
        if (!s.failed) return { warnings: warnings.concat(s.errors.map(msg)) };
        return { errors: [msg(s.summary)].concat(s.errors.map(msg)), warnings };
      });
    },
  };
}

module.exports = manglecheck;
module.exports.default = manglecheck;
module.exports.manglecheck = manglecheck;
