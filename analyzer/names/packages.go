package names

import (
	"sort"
	"strings"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer/flow"
	"github.com/manglecheck/manglecheck/analyzer/scope"
)

// Packages the bundle imports but does not contain (a require of an
// external, an ES import of a bare specifier) are code the flows cannot
// see. For a few packages whose API names things after the classes the
// app hands it (an ORM's entities, a DI container's providers, a GraphQL
// schema's types), the flows still follow the package's exports by name:
// require("typeorm").Entity is a value of its own, calling it makes a
// value of its own (the decorator it returns), and every call of such a
// value is recorded (Facts.PackageCalls) with what reached its
// arguments. Rules model what the package does with them. The values
// travel beside Unknown, never instead of it: what the package does is
// still unknown to everything else.

// modelledPackages are the packages whose exports the flows follow, with
// the members read from them. Only these members are loaded from package
// values: the others stay Unknown.
var modelledPackages = map[string][]string{
	"typeorm":         {"Entity", "ChildEntity", "ViewEntity", "OneToMany", "ManyToOne", "OneToOne", "ManyToMany"},
	"@nestjs/common":  {"Module", "Inject", "Injectable", "Global"},
	"type-graphql":    {"ObjectType", "InterfaceType", "InputType", "ArgsType"},
	"class-validator": {"ValidatorConstraint"},
	"@nestjs/graphql": {"ObjectType", "InterfaceType", "InputType", "ArgsType"},
}

// maxPackagePath bounds the members and calls followed from a package
// (Entity, Entity(), Entity()()).
const maxPackagePath = 3

// packageRef is a value of a modelled package: the module (path ""), a
// member ("Entity"), or what a call returned ("Entity()", made by site).
type packageRef struct {
	spec string
	path []string
	site *callSite
}

type packageKey struct {
	spec, path string
	site       *callSite
}

// packageValue returns the value of package spec at path, made by site.
func (v *values) packageValue(spec string, path []string, site *callSite) flow.Value {
	k := packageKey{spec, strings.Join(path, "\x00"), site}
	if x, ok := v.pkgVals[k]; ok {
		return x
	}
	x := v.newValue(absValue{kind: vkPackage, pkg: &packageRef{spec: spec, path: path, site: site}})
	if v.pkgVals == nil {
		v.pkgVals = map[packageKey]flow.Value{}
	}
	v.pkgVals[k] = x
	return x
}

// modelledMember reports whether member m of package spec is followed.
func modelledMember(spec, m string) bool {
	for _, x := range modelledPackages[spec] {
		if x == m {
			return true
		}
	}
	return false
}

// handlePackageLoad is ref.key: a modelled member of the module.
func (v *values) handlePackageLoad(ref *packageRef, key string, dst flow.Var) {
	if len(ref.path) == 0 && modelledMember(ref.spec, key) {
		v.s.Add(dst, v.packageValue(ref.spec, []string{key}, nil))
	}
}

// handlePackageCall is a call of a package value: its arguments reach
// code the bundle does not contain, its result is unknown, and what it
// returns is a package value made by this site.
func (v *values) handlePackageCall(site *callSite, val flow.Value, ref *packageRef) {
	site.resolved = true
	v.escapeArgs(site)
	if v.pkgCalls[site] == nil {
		if v.pkgCalls == nil {
			v.pkgCalls = map[*callSite][]flow.Value{}
		}
		v.pkgCallOrder = append(v.pkgCallOrder, site)
	}
	for _, x := range v.pkgCalls[site] {
		if x == val {
			return
		}
	}
	v.pkgCalls[site] = append(v.pkgCalls[site], val)
	if len(ref.path) > 0 && len(ref.path) < maxPackagePath {
		v.s.Add(site.result, v.packageValue(ref.spec, append(ref.path[:len(ref.path):len(ref.path)], "()"), site))
	}
}

// requireSpec returns the package a call loads: require("spec") of the
// global require, or of a bundler's require shim, with a bare specifier
// of a modelled package.
func (v *values) requireSpec(callee ast.Expression, args []ast.Expression) (string, bool) {
	spec, ok := v.f.requiredSpec(callee, args)
	return spec, ok && modelledPackages[spec] != nil
}

// requiredSpec returns the literal specifier a call requires: require("…")
// of the global require, or of a bundler's require shim (once the flows
// found the shims).
func (f *Facts) requiredSpec(callee ast.Expression, args []ast.Expression) (string, bool) {
	if len(args) != 1 {
		return "", false
	}
	spec, ok := LiteralString(args[0])
	if !ok {
		return "", false
	}
	id, ok := callee.(*ast.Identifier)
	if !ok {
		return "", false
	}
	if b := f.Scope.Resolve(id); b != nil {
		return spec, f.requireShims[b]
	}
	return spec, id.Name == "require"
}

// requireShimText is a string every esbuild require shim throws (the
// shim stands for require where the platform may not have one); the
// minifiers that run after esbuild keep it.
const requireShimText = `Dynamic require of "`

// findRequireShims marks the bindings whose initializer (or an
// assignment) holds a require shim, given the offsets of the string
// literals that begin with requireShimText (findStorable's walk finds
// them), or makes one: createRequire(import.meta.url), an imported
// function called with a module's URL (webpack and Rspack ES module
// output for Node).
func (f *Facts) findRequireShims(at []int) {
	for _, b := range f.Scope.Bindings {
		call, ok := b.Init.(*ast.CallExpression)
		if !ok || len(call.ArgumentList) != 1 {
			continue
		}
		id, ok := call.Callee.(*ast.Identifier)
		if !ok {
			continue
		}
		if d, ok := call.ArgumentList[0].(*ast.DotExpression); ok && d.Identifier.Name == "url" {
			if im := f.Scope.Resolve(id); im != nil && im.Kind == scope.Import {
				if f.requireShims == nil {
					f.requireShims = map[*scope.Binding]bool{}
				}
				f.requireShims[b] = true
			}
		}
	}
	if len(at) == 0 {
		return
	}
	if f.requireShims == nil {
		f.requireShims = map[*scope.Binding]bool{}
	}
	holds := func(e ast.Expression) bool {
		lo, hi := int(e.Idx0())-1, int(e.Idx1())-1
		for _, p := range at {
			if lo <= p && p < hi {
				return true
			}
		}
		return false
	}
	for _, b := range f.Scope.Bindings {
		// var p = shim, or (terser with toplevel) var p; … p = shim.
		if b.Init != nil && holds(b.Init) {
			f.requireShims[b] = true
		}
		for _, as := range b.Assigns {
			if holds(as.Right) {
				f.requireShims[b] = true
			}
		}
	}
}

// PackageCall is a call of a value of a modelled package.
type PackageCall struct {
	Package string
	// Path is how the bundle reached the value called: ["Entity"] for
	// Entity(...), ["Entity", "()"] for calling what Entity(...)
	// returned (a decorator applied).
	Path []string
	// Node is the call; Made is the call that made the value called
	// (Entity(...) for a decorator applied), or nil.
	Node, Made *ast.CallExpression
	// Decorates are, for a decorator factory's call (Entity("space")),
	// the classes the decorator it makes is applied to (see
	// findPackageCalls).
	Decorates []*Func
	site      *callSite
}

// Member returns the member the call path starts from ("Entity").
func (c *PackageCall) Member() string { return c.Path[0] }

// Applied reports whether the call applies what a call of the member
// returned (a decorator factory's decorator).
func (c *PackageCall) Applied() bool { return len(c.Path) == 2 && c.Path[1] == "()" }

// PackageCalls returns the calls of modelled package values, in the
// order of the bundle (shared: do not modify).
func (f *Facts) PackageCalls() []*PackageCall { return f.packageCalls }

// findPackageCalls lists the calls of modelled package values
// (f.packageCalls), with the classes each decorator factory's decorator
// is applied to.
func (f *Facts) findPackageCalls() {
	v := f.vals
	if v == nil || len(v.pkgCallOrder) == 0 {
		return
	}
	var out []*PackageCall
	for _, site := range v.pkgCallOrder {
		call, ok := site.node.(*ast.CallExpression)
		if !ok {
			continue
		}
		for _, x := range v.pkgCalls[site] {
			ref := v.vals[x].pkg
			c := &PackageCall{Package: ref.spec, Path: ref.path, Node: call, site: site}
			if ref.site != nil {
				c.Made, _ = ref.site.node.(*ast.CallExpression)
			}
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Node.Idx0() < out[j].Node.Idx0() })
	f.decoratorTargets(out)
	f.packageCalls = out
}

// ArgFuncs returns the functions and classes argument i of a package
// call may hold; complete is false when it may hold others.
func (f *Facts) ArgFuncs(c *PackageCall, i int) (fns []*Func, complete bool) {
	if i >= len(c.site.args) || c.site.spread[i] {
		return nil, false
	}
	fns, complete, _ = f.vals.funcsIn(f.vals.s.Values(c.site.args[i]))
	sort.Slice(fns, func(a, b int) bool { return fns[a].Pos < fns[b].Pos })
	return fns, complete
}

// importPackage gives an import binding of a modelled package its
// package value: the module for a namespace, else the member imported.
func (v *values) importPackage(b *scope.Binding) {
	im, ok := v.f.opts.PackageImports[b.Name]
	if !ok || modelledPackages[im.Package] == nil {
		return
	}
	switch {
	case im.Name == "*":
		v.s.Add(v.binding(b), v.packageValue(im.Package, nil, nil))
	case modelledMember(im.Package, im.Name):
		v.s.Add(v.binding(b), v.packageValue(im.Package, []string{im.Name}, nil))
	}
}

// decoratorTargets sets the classes each decorator factory call among
// calls (Entity("space")) decorates. Bundlers apply decorators through a
// helper called with the list of decorators and the target,
// __decorateClass([Entity("space")], User) (esbuild, tslib's __decorate,
// swc's _ts_decorate): the target is the helper's second argument. The
// helper's own parameters mix every class it decorates; its call sites
// keep them apart. A member decorator (the helper gets a key too)
// decorates a prototype, not a class.
func (f *Facts) decoratorTargets(calls []*PackageCall) {
	factories := map[ast.Node][]*PackageCall{}
	for _, c := range calls {
		if !c.Applied() {
			factories[c.Node] = append(factories[c.Node], c)
		}
	}
	if len(factories) == 0 {
		return
	}
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		call, ok := n.(*ast.CallExpression)
		if !ok || len(call.ArgumentList) != 2 {
			return true
		}
		list, ok := call.ArgumentList[0].(*ast.ArrayLiteral)
		if !ok {
			return true
		}
		for _, el := range list.Value {
			if cs := factories[el]; len(cs) > 0 {
				classes := f.decoratorClasses(call.ArgumentList[1], append(stack, call))
				for _, c := range cs {
					c.Decorates = classes
				}
			}
		}
		return true
	})
}

// decoratorClasses returns the classes a decorator helper's target
// expression holds. The helper's result is assigned back to the class
// binding (C = __decorateClass([...], C)), and that result mixes every
// class the helper decorates: of a binding's values, those declared
// under it are its own.
func (f *Facts) decoratorClasses(target ast.Expression, stack []ast.Node) []*Func {
	fns, _ := f.FuncsOf(target, stack)
	id, ok := target.(*ast.Identifier)
	if !ok {
		return fns
	}
	b := f.Scope.Resolve(id)
	var own []*Func
	for _, fn := range fns {
		if b != nil && fn.Binding == b {
			own = append(own, fn)
		}
	}
	if len(own) == 0 {
		return fns
	}
	return own
}

// LoadsPackages reports whether the bundle loads modules it does not
// contain: an import of a package (a bare specifier), or require("…") of
// the global require or of a bundler's shim for it (esbuild's output
// for Node keeps its externals and Node's own modules as requires).
// Their classes are not in the bundle, and a name compared with one of
// them is no evidence that a class of the bundle was renamed.
func (f *Facts) LoadsPackages() bool { return f.loadsPackages }

// findPackageLoads computes LoadsPackages, after the flows found the
// require shims.
func (f *Facts) findPackageLoads() bool {
	if len(f.opts.PackageImports) > 0 {
		return true
	}
	if f.vals == nil {
		return false
	}
	for _, c := range f.vals.calls {
		if call, ok := c.node.(*ast.CallExpression); ok {
			if _, ok := f.requiredSpec(call.Callee, call.ArgumentList); ok {
				return true
			}
		}
	}
	return false
}
