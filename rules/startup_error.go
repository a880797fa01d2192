package rules

import "github.com/manglecheck/manglecheck/analyzer"

// StartupError documents the findings of `manglecheck smoke`, which runs
// each bundle's startup in a sandbox (package sandbox, cmd/manglecheck/internal/sandbox). It is a
// rule value so that `rules`, `explain`, the README table and SARIF
// describe it from one place like every other finding; its Run does
// nothing, and `check` never reports it.
var StartupError = &analyzer.Rule{
	ID:       "startup-error",
	Title:    "Bundle throws, hangs or runs out of memory during startup",
	Severity: analyzer.Error,
	Runtime:  true,
	Doc: `Reported by "manglecheck smoke", not by "check": smoke runs each bundle's top level, then its timers, animation frames and page-load events (DOMContentLoaded, load), in goja's JavaScript runtime with a minimal browser or Node.js environment, and reports an uncaught exception or unhandled promise rejection, a timeout, the memory limit or a stack overflow during that startup, with the JavaScript stack mapped through the source map to the original files, lines and function names.

Renamed functions and classes often break an app before any of its error reporting runs: a registry keyed by Cls.name no longer has the key the configuration names, so "new Plugin()" throws; an error handler compares err.name with a class name and rethrows what it meant to handle. Static rules say such code may break; smoke shows that this build does. A startup error that appears only in the minified build (run smoke on an unminified or keep-names build to compare) is almost always one of the patterns the other rules describe.

The sandbox is not a browser: the DOM is inert (elements accept everything and render nothing, canvas has no context), network APIs fail with "network disabled", Node's require only loads the bundle's own files, and timers run on a virtual clock. Errors caused by those limits are reported as warnings about the file, not as findings.`,
	Fix: `Find the static finding at the reported line (manglecheck check), and fix it as that rule says.
esbuild: keepNames: true (--keep-names); terser: keep_classnames and keep_fnames; swc: keep_classnames and keep_fnames — to confirm that renaming is the cause.`,
	Bad: `class MarkdownPlugin {
  render(text) { return text; }
}
const registry = {};
registry[MarkdownPlugin.name] = MarkdownPlugin;
const config = { plugin: "MarkdownPlugin" };
const Plugin = registry[config.plugin];
new Plugin().render("# hello");`,
	Good: `class MarkdownPlugin {
  static id = "markdown";
  render(text) { return text; }
}
const registry = {};
registry[MarkdownPlugin.id] = MarkdownPlugin;
const config = { plugin: "markdown" };
const Plugin = registry[config.plugin];
new Plugin().render("# hello");`,
	Run: func(*analyzer.Pass) {},
}
