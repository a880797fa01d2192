// verify-minifiers.mjs checks manglecheck suggest's terser, swc and
// uglify-js advice against the real minifiers, which the Go tests cannot
// run (they need no Node; they check the terser advice against the
// checked-in outputs of fixtures/minifiers instead).
//
// For every rule fixture it bundles the fixture with esbuild (IIFE, not
// minified, as fixtures/minifiers/regen.mjs feeds the minifiers), minifies
// it with the minifier's defaults, asks `manglecheck suggest --format json`
// for that minifier's settings, minifies again with them and checks the
// result. A name finding left afterwards must be one the advice calls out
// by name (a class compression inlined, a global the bundle's scope hides);
// anything else fails the run.
//
//	fixtures/minifiers/regen --check          # installs the pinned minifiers
//	go build -o /tmp/manglecheck ./cmd/manglecheck
//	node cmd/manglecheck/internal/suggest/testdata/verify-minifiers.mjs /tmp/manglecheck
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../../..");
const nm = path.join(repo, "fixtures/minifiers/node_modules");
const esbuild = (await import(path.join(nm, "esbuild/lib/main.js"))).default;
const { minify: terserMinify } = await import(path.join(nm, "terser/main.js"));
const swc = (await import(path.join(nm, "@swc/core/index.js"))).default;
const UglifyJS = (await import(path.join(nm, "uglify-js/tools/node.js"))).default;

const mc = process.argv[2];
if (!mc) {
	console.error("usage: node verify-minifiers.mjs PATH-TO-MANGLECHECK");
	process.exit(2);
}
const out = fs.mkdtempSync(path.join(os.tmpdir(), "manglecheck-verify-"));
const nameRules = new Set(["name-compare", "name-key", "name-derived", "name-message", "callee-name", "keep-names-gap", "stack-names", "global-lookup"]);
const ruleDirs = ["callee-name", "global-lookup", "keep-names-gap", "name-compare", "name-derived", "name-key", "name-message", "stack-names"];

function run(args) {
	try {
		return execFileSync(mc, args, { encoding: "utf8" });
	} catch (e) {
		return e.stdout;
	}
}

async function plain(file, outfile) {
	const r = await esbuild.build({ entryPoints: [file], bundle: true, format: "iife", write: false, sourcemap: "external", outfile, logLevel: "silent" });
	return {
		code: r.outputFiles.find((f) => f.path.endsWith(".js")).text,
		map: r.outputFiles.find((f) => f.path.endsWith(".map")).text,
	};
}

// Each minifier with its defaults (as regen.mjs runs it), or with the
// settings suggest printed (copies: uglify-js adds to mangle.reserved).
const minifiers = {
	terser: async (input, name, set) => {
		const o = {};
		if (set?.keep_classnames) o.keep_classnames = new RegExp(set.keep_classnames);
		if (set?.keep_fnames) o.keep_fnames = new RegExp(set.keep_fnames);
		if (set?.reserved) o.mangle = { reserved: [...set.reserved] };
		const r = await terserMinify({ [name]: input.code }, { ...o, sourceMap: { content: input.map, filename: name, url: name + ".map", includeSources: true } });
		return { code: r.code, map: r.map };
	},
	swc: async (input, name, set) => {
		const m = { compress: true, mangle: true };
		if (set?.keep_classnames) m.keep_classnames = true;
		if (set?.keep_fnames) m.keep_fnames = true;
		if (set?.reserved) m.mangle = { reserved: [...set.reserved] };
		if (set?.noInline) m.compress = { inline: 0, reduce_funcs: false };
		const r = await swc.transform(input.code, {
			filename: name, sourceFileName: name, inputSourceMap: input.map, sourceMaps: true, inlineSourcesContent: true,
			isModule: false, minify: true, swcrc: false, configFile: false,
			jsc: { parser: { syntax: "ecmascript" }, target: "esnext", minify: m },
		});
		return { code: r.code + `\n//# sourceMappingURL=${name}.map`, map: r.map };
	},
	"uglify-js": async (input, name, set) => {
		const o = {};
		if (set?.keep_fnames) o.keep_fnames = true;
		if (set?.reserved) o.mangle = { reserved: [...set.reserved] };
		const r = UglifyJS.minify({ [name]: input.code }, { ...o, sourceMap: { content: input.map, filename: name, url: name + ".map", includeSources: true } });
		if (r.error) throw r.error;
		return { code: r.code, map: r.map };
	},
};

async function minifyTo(dir, entry, minifier, set) {
	fs.mkdirSync(dir, { recursive: true });
	const name = path.basename(entry).replace(/\.[jt]s$/, ".js");
	const r = await minifiers[minifier](await plain(entry, path.join(dir, name)), name, set);
	fs.writeFileSync(path.join(dir, name), r.code);
	fs.writeFileSync(path.join(dir, name + ".map"), typeof r.map === "string" ? r.map : JSON.stringify(r.map));
	return path.join(dir, name);
}

const findings = (file) => JSON.parse(run(["check", "--format", "json", "--fail-on", "never", file])).findings.filter((f) => nameRules.has(f.rule));
let failed = 0;
for (const rule of ruleDirs) {
	const dir = path.join(repo, "fixtures", rule);
	for (const f of fs.readdirSync(dir).filter((f) => /\.[jt]s$/.test(f))) {
		const entry = path.join(dir, f);
		for (const minifier of Object.keys(minifiers)) {
			const base = await minifyTo(path.join(out, minifier, "default", rule), entry, minifier);
			const advice = JSON.parse(run(["suggest", "--format", "json", base])).minifiers.find((m) => m.minifier === minifier);
			const fixed = await minifyTo(path.join(out, minifier, "suggested", rule), entry, minifier, advice.settings);
			const before = findings(base), after = findings(fixed);
			const notes = advice.notes.join("\n");
			const left = after.map((x) => {
				const name = x.original?.name ?? "";
				const ok = name !== "" && notes.includes(name);
				if (!ok) failed++;
				return `${x.rule} ${name} at line ${x.original?.line ?? "?"}${ok ? " (called out)" : " (NOT CALLED OUT)"}`;
			});
			if (before.length + after.length > 0) {
				console.log(`${minifier.padEnd(9)} ${(rule + "/" + f).padEnd(34)} ${before.length} -> ${after.length}  ${JSON.stringify(advice.settings)}`);
				for (const l of left) console.log(`          left: ${l}`);
			}
		}
	}
}
fs.rmSync(out, { recursive: true, force: true });
if (failed > 0) {
	console.log(`${failed} findings left that the advice does not call out`);
	process.exit(1);
}
