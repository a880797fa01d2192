package rules

import (
	"fmt"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/funcindex"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// CalleeName flags names read through arguments.callee, fn.caller and
// new.target.
var CalleeName = &analyzer.Rule{
	ID:       "callee-name",
	Title:    "Name of the running function read through arguments.callee, caller or new.target",
	Severity: analyzer.Error,
	Doc: `Code asks the running function (or its caller, or the class being
constructed) for its name: arguments.callee.name, fn.caller.name,
new.target.name. Minifiers rename functions and classes, so the answer is "t"
in the bundle. Compared with a string or used as a key, the branch or lookup
silently stops working (an error); in a log message only the text changes (an
info).

arguments.callee and caller are also forbidden in strict mode, which every ES
module and class body is: such code is fragile beyond minification.

Fix: compare by reference (new.target === Shape), pass an explicit name, or
keep names (esbuild keepNames, terser keep_fnames/keep_classnames, swc
keep_fnames/keep_classnames).`,
	Fix: keepNamesFix,
	Bad: `export class Shape {
  constructor() {
    if (new.target.name === "Shape") throw new Error("Shape is abstract");
  }
}
export class Circle extends Shape {}
console.log(new Circle());`,
	Good: `export class Shape {
  constructor() {
    if (new.target === Shape) throw new Error("Shape is abstract");
  }
}
export class Circle extends Shape {}
console.log(new Circle());`,
	Requires: []*analyzer.Analysis{funcindex.Analysis},
	Run:      runCalleeName,
}

func runCalleeName(p *analyzer.Pass) {
	nf := p.File.Names
	ix := funcindex.Of(p)
	for _, u := range nf.Uses {
		r := u.Read
		if !isCalleeRead(r) {
			continue
		}
		sev := analyzer.Info
		how := "is used in " + u.Kind.String() + " text"
		switch u.Kind {
		case names.UseCompare:
			sev, how = analyzer.Error, "is compared with a string"
			if len(u.Strings) > 0 {
				how = fmt.Sprintf("is compared with %q", u.Strings[0])
			}
		case names.UseKey:
			sev, how = analyzer.Error, "is used as a key"
		case names.UseMessage:
			how = "is used in a message"
		case names.UseSerialize, names.UseStore:
			sev, how = analyzer.Warning, "is stored as a tag"
		case names.UseArg:
			how = "is passed to " + orSomething(u.Callee)
		}
		msg := calleeJudge(ix, r, u, sev)
		if msg == "" {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Pos:      r.Pos,
			Severity: sev,
			Message:  fmt.Sprintf("%s %s, %s", p.Text(r.Node, 60), how, msg),
			Name:     firstOriginal(r.Candidates),
		})
	}
}

// calleeJudge explains why the read breaks, or "" when nothing shows it does.
func calleeJudge(ix *funcindex.Index, r *names.Read, u *names.Use, sev analyzer.Severity) string {
	nf := ix.Facts()
	if bad := certainlyMangled(nf, r); len(bad) > 0 {
		if u.Kind == names.UseCompare && len(u.Strings) > 0 {
			// Only when the compared string is what the name used to be
			// (or, without a map, is not what it is now).
			ok := false
			for _, fn := range bad {
				for _, s := range u.Strings {
					if (fn.OriginalKnown && fn.Original == s) || (!fn.OriginalKnown && fn.Runtime != s) {
						ok = true
					}
				}
			}
			if !ok {
				return ""
			}
		}
		tail := "so the comparison or lookup never matches."
		if sev == analyzer.Info {
			tail = "so the text shows the mangled name; behaviour does not change."
		}
		return fmt.Sprintf("but %s, %s Compare by reference or keep names (esbuild keepNames, terser keep_fnames/keep_classnames).", describeMangled(nf, bad), tail)
	}
	if r.Candidates == nil && nf.Minified && sev == analyzer.Error && nf.NumPinned == 0 {
		// fn.caller.name: whoever calls is renamed in a minified bundle.
		if ix.AnyMangled() {
			return "but the functions of this minified bundle are renamed, so the comparison or lookup never matches the names in the source. Pass an explicit name instead."
		}
	}
	return ""
}

func orSomething(s string) string {
	if s == "" {
		return "a function"
	}
	return s
}

func firstOriginal(fns []*names.Func) string {
	for _, fn := range fns {
		if fn.OriginalKnown {
			return fn.Original
		}
	}
	return ""
}
