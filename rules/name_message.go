package rules

import (
	"fmt"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// NameMessage notes names that only end up in log or error text.
var NameMessage = &analyzer.Rule{
	ID:       "name-message",
	Title:    "Runtime name used only in log or error message text",
	Severity: analyzer.Info,
	Doc: `A function's or class's runtime name ends up in a message: a log line
(console.log(this.constructor.name)), an error text (new Error(C.name + " is
abstract")), or an Error subclass's name (this.name = this.constructor.name,
which is what stack traces and error reporters print). After minification the
message says "t" instead of "ValidationError". The behaviour of the program
does not change — only what people read in logs and error reports — so this
is information, not a defect; it matters when you triage production errors by
their name.

To keep the text readable: set the name explicitly (this.name =
"ValidationError", static name = "X"), or keep names (esbuild keepNames,
terser keep_classnames/keep_fnames), or rely on source maps in your error
reporter.`,
	Fix: `code: an explicit name (this.name = "ValidationError"; static name = "X")
esbuild: keepNames; terser/swc: keep_classnames / keep_fnames
error reporting: upload source maps so stack frames are mapped back`,
	Bad: `export class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = this.constructor.name;
  }
}
console.log(new ValidationError("bad input").name);`,
	Good: `export class ValidationError extends Error {
  constructor(message) {
    super(message);
    this.name = "ValidationError";
  }
}
console.log(new ValidationError("bad input").name);`,
	Run: runNameMessage,
}

func runNameMessage(p *analyzer.Pass) {
	nf := p.File.Names
	for _, u := range nf.Uses {
		r := u.Read
		if isCalleeRead(r) || r.Kind == names.RecvProperty {
			continue
		}
		where := ""
		switch {
		case u.Kind == names.UseMessage:
			where = "message text"
			if u.Callee != "" {
				where = "the text given to " + u.Callee
			}
		case u.Kind == names.UseStore && (u.Key == "name" || u.Key == "message"):
			where = fmt.Sprintf("the %q of an object (what error reports and logs print)", u.Key)
		default:
			continue
		}
		bad := certainlyMangled(nf, r)
		if len(bad) == 0 {
			continue
		}
		p.Report(analyzer.Diagnostic{
			Pos: r.Pos,
			Message: fmt.Sprintf("%s ends up in %s, but %s: the text shows the mangled name; behaviour does not change. "+
				"Set the name explicitly or keep names (esbuild keepNames, terser keep_classnames) if the text matters.",
				p.Text(r.Node, 60), where, describeMangled(nf, bad)),
			Name: firstOriginal(bad),
		})
	}
}
