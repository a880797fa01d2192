'use strict';
// The JavaScript API the plugins share: run `manglecheck check --format
// json` on a build's emitted files and return the parsed report.
const { execFile } = require('child_process');
const path = require('path');
const { binaryPath } = require('./binary.js');

const failOns = ['error', 'warning', 'warn', 'info', 'never'];

// checkFiles runs manglecheck on files (paths of emitted bundles; their
// source maps are found next to them). Options: failOn ("error" by
// default), config (a manglecheck.json; by default the one found from cwd
// up), cwd, args (more command-line flags). It resolves to
// { exitCode, report, stderr } where report is the JSON report (README:
// "JSON (a contract)"); it rejects only when the binary cannot run.
function checkFiles(files, options = {}) {
  const failOn = options.failOn || 'error';
  if (!failOns.includes(failOn)) {
    return Promise.reject(new Error(`manglecheck: failOn must be one of ${failOns.join(', ')}, not ${JSON.stringify(failOn)}`));
  }
  const args = ['check', '--format', 'json', '--fail-on', failOn];
  if (options.config) args.push('--config', options.config);
  if (options.args) args.push(...options.args);
  args.push('--', ...files);
  const cwd = options.cwd || process.cwd();
  return new Promise((resolve, reject) => {
    let bin;
    try {
      bin = binaryPath();
    } catch (e) {
      reject(e);
      return;
    }
    execFile(bin, args, { cwd, maxBuffer: 256 << 20, windowsHide: true }, (err, stdout, stderr) => {
      let exitCode = 0;
      if (err) {
        if (typeof err.code !== 'number') {
          reject(new Error(`manglecheck: cannot run ${bin}: ${err.message}`));
          return;
        }
        exitCode = err.code;
      }
      let report = null;
      try {
        report = stdout ? JSON.parse(stdout) : null;
      } catch {
        // A usage error prints nothing on stdout: stderr says why.
      }
      resolve({ exitCode, report, stderr: String(stderr) });
    });
  });
}

// formatFinding is one finding as the text report prints it: at the
// original source position when the map knows it.
function formatFinding(f, cwd = process.cwd()) {
  const at = f.original && f.original.source
    ? `${f.original.source}:${f.original.line}:${f.original.column}`
    : `${path.relative(cwd, path.resolve(cwd, f.bundle.path)) || f.bundle.path}:${f.bundle.line}:${f.bundle.column}`;
  const confirmed = f.confirmed ? ' [confirmed]' : '';
  return `${at}: ${f.severity}: ${f.message} [${f.rule}]${confirmed}`;
}

// summarize turns a check's result into the lines plugins log: findings
// by severity, the files that could not be analyzed, and whether the build
// must fail (exit status 1: findings at or above failOn; 2: trouble).
function summarize(result, cwd) {
  const out = { errors: [], warnings: [], infos: [], failed: result.exitCode !== 0, summary: '' };
  const r = result.report;
  if (!r) {
    out.errors.push((result.stderr || 'manglecheck failed').trim());
    out.summary = 'manglecheck could not check the build';
    return out;
  }
  for (const f of r.findings || []) {
    const line = formatFinding(f, cwd);
    if (f.severity === 'error') out.errors.push(line);
    else if (f.severity === 'warning') out.warnings.push(line);
    else out.infos.push(line);
  }
  for (const file of r.files || []) {
    if (file.error) out.errors.push(`${file.path}: ${file.error}`);
  }
  for (const line of (result.stderr || '').split('\n')) {
    if (line.trim()) out.warnings.push(line.replace(/^manglecheck: /, ''));
  }
  const n = (r.findings || []).length;
  const files = (r.files || []).length;
  out.summary = `manglecheck: ${n} finding${n === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}` +
    (out.failed ? (result.exitCode === 2 ? ': could not check every file' : ': the build relies on renamed names') : '');
  return out;
}

const jsFile = /\.(m|c)?js$/;

module.exports = { checkFiles, formatFinding, summarize, binaryPath, jsFile };
