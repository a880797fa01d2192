'use strict';
// webpack 5 and Rspack plugin: after emit, checks the emitted JavaScript
// files (with their maps) and adds each finding to the compilation as an
// error (severity at or above failOn) or a warning, so the build fails the
// way any other compilation error fails it.
//
//   const { ManglecheckPlugin } = require('manglecheck/webpack');
//   module.exports = { devtool: 'source-map', plugins: [new ManglecheckPlugin()] };
const path = require('path');
const { checkFiles, summarize, jsFile } = require('../lib/index.js');

const name = 'ManglecheckPlugin';

class ManglecheckPlugin {
  constructor(options = {}) {
    this.options = options;
  }

  apply(compiler) {
    const WebpackError = (compiler.webpack && compiler.webpack.WebpackError) || Error;
    compiler.hooks.afterEmit.tapPromise(name, async (compilation) => {
      const out = compilation.outputOptions.path;
      const files = compilation
        .getAssets()
        .map((a) => a.name)
        .filter((n) => jsFile.test(n))
        .map((n) => path.resolve(out, n));
      if (files.length === 0) return;
      const cwd = this.options.cwd || compiler.context || process.cwd();
      const s = summarize(await checkFiles(files, { ...this.options, cwd }), cwd);
      const add = (list, line) => {
        const e = new WebpackError(line);
        e.name = 'ManglecheckError';
        list.push(e);
      };
      for (const line of s.warnings) add(compilation.warnings, line);
      for (const line of s.errors) add(s.failed ? compilation.errors : compilation.warnings, line);
      if (s.failed && s.errors.length === 0) add(compilation.errors, s.summary);
    });
  }
}

module.exports = ManglecheckPlugin;
module.exports.default = ManglecheckPlugin;
module.exports.ManglecheckPlugin = ManglecheckPlugin;
