package rules

import (
	"fmt"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// A dependency-injection container registers services under their
// classes' runtime names (container.bind(Service.name).to(Service),
// container.register(cls.name, cls)) and is asked for them by name
// elsewhere (container.get("GreetingService"), @inject("UserRepository")
// strings). The container is often a bundled library (inversify, tsyringe,
// awilix), renamed with the app, so the calls are read where the app makes
// them: on one variable, a registration with a runtime name and a lookup
// with a literal.

// registerMethods register a service under their first argument;
// lookupMethods look one up by theirs.
var (
	registerMethods = map[string]bool{
		"bind": true, "register": true, "registerSingleton": true, "registerTransient": true, "registerType": true,
		"registerClass": true, "provide": true, "addSingleton": true, "addScoped": true, "addTransient": true,
		"singleton": true, "service": true, "factory": true,
	}
	lookupMethods = map[string]bool{
		"get": true, "getAsync": true, "getNamed": true, "getTagged": true, "getAll": true, "resolve": true,
		"isBound": true, "make": true, "lookup": true, "getService": true,
	}
)

// container is what the calls on one variable register and look up.
type container struct {
	registered []*names.Read
	fixed      map[string]bool // names registered as strings
	lookups    []ast.Expression
}

// containerScan gathers, per variable, what calls on it register and
// look up.
type containerScan struct {
	byVar map[*scope.Binding]*container
	order []*scope.Binding
}

// call files call when it registers a service or looks one up on a
// variable (readAt: the name reads by node).
func (cs *containerScan) call(nf *names.Facts, call *ast.CallExpression, readAt map[ast.Node]*names.Read) {
	if len(call.ArgumentList) == 0 {
		return
	}
	d, ok := call.Callee.(*ast.DotExpression)
	if !ok {
		return
	}
	m := d.Identifier.Name.String()
	if !registerMethods[m] && !lookupMethods[m] {
		return
	}
	id, ok := d.Left.(*ast.Identifier)
	if !ok {
		return
	}
	b := nf.Scope.Resolve(id)
	if b == nil {
		return
	}
	c := cs.byVar[b]
	if c == nil {
		if cs.byVar == nil {
			cs.byVar = map[*scope.Binding]*container{}
		}
		c = &container{fixed: map[string]bool{}}
		cs.byVar[b] = c
		cs.order = append(cs.order, b)
	}
	arg := call.ArgumentList[0]
	s, isLit := constString(arg)
	switch {
	case registerMethods[m] && isLit:
		c.fixed[s] = true
	case registerMethods[m]:
		if r := readAt[arg]; r != nil && r.Candidates != nil {
			c.registered = append(c.registered, r)
		}
	case isLit:
		c.lookups = append(c.lookups, arg)
	}
}

// report reports the literal lookups of the containers that register
// services under runtime names, when the literal is a registered class's
// source name (map) or a capitalised name nothing in a mangled bundle
// carries; each literal once per container.
func (cs *containerScan) report(p *analyzer.Pass) {
	for _, b := range cs.order {
		c := cs.byVar[b]
		if len(c.registered) == 0 {
			continue
		}
		seen := map[string]bool{}
		for _, l := range c.lookups {
			key, _ := constString(l)
			if seen[key] || c.fixed[key] {
				continue
			}
			seen[key] = true
			reportContainerLookup(p, c, l, key)
		}
	}
}

// reportContainerLookup judges one literal lookup (lit, its value key).
func reportContainerLookup(p *analyzer.Pass, c *container, lit ast.Expression, key string) {
	nf := p.File.Names
	var classes []*names.Func
	for _, r := range c.registered {
		for _, fn := range r.Candidates {
			if fn.Runtime == key {
				return
			}
			classes = append(classes, fn)
		}
	}
	reg := c.registered[0]
	related := []analyzer.Related{{Pos: reg.Pos, Message: "services are registered under their classes' runtime names here: " + p.Text(reg.Node, 60)}}
	call := p.Text(lit, 40)
	if fn := renamedFrom(classes, key); fn != nil {
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(lit),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("the container is asked for %s, the name of %s in the source, but it registers its services under their classes' runtime names (%s) and the minifier renamed %s: nothing is registered as %q in this build, so the lookup fails. "+
				"Register and look up services by tokens you own (strings or symbols), %s.",
				call, kindAndName(fn), p.Text(reg.Node, 40), renames([]*names.Func{fn}), key, keepClassNames),
			Name:    fn.SourceName(),
			Related: related,
		})
		return
	}
	if !strayClassName(nf, key, classes) {
		return
	}
	p.Report(analyzer.Diagnostic{
		Pos:      startOf(lit),
		Severity: analyzer.Error,
		Message: fmt.Sprintf("the container is asked for %s, but it registers its services under their classes' runtime names (%s), and in this minified bundle %s: nothing is registered as %q, so the lookup fails. "+
			"Register and look up services by tokens you own (strings or symbols), %s.",
			call, p.Text(reg.Node, 40), runtimeNames(classes), key, keepClassNames),
		Name:    key,
		Related: related,
	})
}
