package rules

import (
	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// reportBundledRegistries reports the lookups of the registries that
// libraries bundled with the app keep by classes' runtime names
// (discriminator.go, slices.go, containers.go). One walk finds their
// options and the container calls; the literals they are checked
// against (data tags, action types) are read in a second walk, only when
// the first found a discriminator or a slice.
func reportBundledRegistries(p *analyzer.Pass) {
	nf := p.File.Names
	if len(nf.Reads) == 0 {
		return // every registry here is named by a runtime-name read
	}
	readAt := readsByNode(nf)
	var ds []*discriminator
	var sls []slice
	var cs containerScan
	inspectProgram(p, func(n ast.Node, stack []ast.Node) bool {
		switch x := n.(type) {
		case *ast.PropertyKeyed:
			if k, ok := names.PropertyKey(x); ok && k == "discriminator" && !x.Computed {
				if obj, ok := x.Value.(*ast.ObjectLiteral); ok {
					if d := readDiscriminator(nf, obj, append(stack, x), readAt); d != nil {
						ds = append(ds, d)
					}
				}
			}
		case *ast.ObjectLiteral:
			if s, ok := readSlice(x, readAt); ok {
				sls = append(sls, s)
			}
		case *ast.CallExpression:
			cs.call(nf, x, readAt)
		}
		return true
	})
	cs.report(p)
	if len(ds) == 0 && len(sls) == 0 {
		return
	}
	var lits registryLiterals
	inspectProgram(p, lits.visit)
	reportDiscriminatorTags(p, ds, &lits)
	reportSliceActions(p, sls, &lits)
}

// registryLiterals are the literals a bundle's registries are checked
// against.
type registryLiterals struct {
	// tags are the object properties with a string value, by key (data
	// tags, and the `name: "…"` of explicitly named sub-types).
	tags map[string][]*ast.PropertyKeyed
	// actions are the strings shaped like an action type ("slice/reducer").
	actions []actionLiteral
}

// actionLiteral is a string literal shaped like an action type.
type actionLiteral struct {
	lit                  ast.Expression
	value, name, reducer string
}

func (rl *registryLiterals) visit(n ast.Node, _ []ast.Node) bool {
	switch x := n.(type) {
	case *ast.PropertyKeyed:
		if x.Computed {
			return true
		}
		if k, ok := names.PropertyKey(x); ok {
			if _, lit := constString(x.Value); lit {
				if rl.tags == nil {
					rl.tags = map[string][]*ast.PropertyKeyed{}
				}
				rl.tags[k] = append(rl.tags[k], x)
			}
		}
	case *ast.StringLiteral, *ast.TemplateLiteral: // Oxc writes `Project/upserted`
		if v, ok := constString(x.(ast.Expression)); ok {
			if m := actionTypeRE.FindStringSubmatch(v); m != nil {
				rl.actions = append(rl.actions, actionLiteral{x.(ast.Expression), v, m[1], m[2]})
			}
		}
	}
	return true
}

// readsByNode indexes the name reads by their member expression.
func readsByNode(nf *names.Facts) map[ast.Node]*names.Read {
	out := make(map[ast.Node]*names.Read, len(nf.Reads))
	for _, r := range nf.Reads {
		out[r.Node] = r
	}
	return out
}
