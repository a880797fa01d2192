package rules

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// Packages the bundle imports but does not contain, whose registries are
// keyed by the names of the classes the app hands them (the engine's
// model: names.PackageCalls). The code that reads cls.name is in the
// package, outside the bundle; the evidence of the break is in the
// bundle: the classes it registers, and the literal names it asks for.
//
//   - TypeORM names an entity after its class unless @Entity gives a
//     name, and resolves a relation whose target is a string
//     (@ManyToOne("Space")) among the entities by class name.
//   - NestJS resolves an injection token among the providers' tokens;
//     {provide: cls.name, useClass: cls} makes the runtime name the token.
//   - type-graphql (and @nestjs/graphql) name a GraphQL type after its
//     class unless @ObjectType gives a name; the response's __typename is
//     that name.

// registry is what a package registers under class names: the classes,
// the explicit names registered beside them, and where each class was
// registered.
type registry struct {
	classes  []*names.Func
	explicit map[string]bool
	at       map[*names.Func]int // a place that registered the class
}

func newRegistry() *registry {
	return &registry{explicit: map[string]bool{}, at: map[*names.Func]int{}}
}

func (r *registry) add(fn *names.Func, pos int) {
	if _, ok := r.at[fn]; !ok {
		r.classes = append(r.classes, fn)
		r.at[fn] = pos
	}
}

// miss judges a lookup of lit in the registry. It returns the class the
// source named lit (when the map says so) and whether the lookup misses
// in this build: lit is neither registered explicitly nor any class's
// runtime name, and either the map shows a class named lit in the source,
// or (without a map) every class the registry holds was renamed.
func (r *registry) miss(nf *names.Facts, lit string) (*names.Func, bool) {
	if len(r.classes) == 0 || r.explicit[lit] {
		return nil, false
	}
	for _, fn := range r.classes {
		if !fn.RuntimeKnown || fn.Runtime == lit {
			return nil, false
		}
	}
	for _, fn := range r.classes {
		if fn.OriginalKnown && fn.Original == lit {
			return fn, true
		}
	}
	if !identifierLike(lit) || !capitalised(lit) {
		return nil, false
	}
	for _, fn := range r.classes {
		if fn.OriginalKnown || !nf.Mangled(fn) {
			return nil, false
		}
	}
	return nil, true
}

// place relates a finding to where the class it names (or, when none,
// the first registered class) was registered; what says what happens
// there, given the class's source and runtime names.
func (r *registry) place(fn *names.Func, what string) []analyzer.Related {
	if fn == nil && len(r.classes) > 0 {
		fn = r.classes[0]
	}
	if fn == nil {
		return nil
	}
	return []analyzer.Related{{Pos: r.at[fn], Message: fmt.Sprintf(what, fn.SourceName(), fn.Runtime)}}
}

const registeredHere = "class %s (%q at runtime) is registered here"

// runtimeNames lists the registered classes' runtime names.
func (r *registry) runtimeNames() string {
	var qs []string
	for _, fn := range r.classes {
		qs = appendUnique(qs, fmt.Sprintf("%q", fn.Runtime))
	}
	return quotedList(qs)
}

// literalArg returns argument i of call as a string literal.
func literalArg(call *ast.CallExpression, i int) (string, bool) {
	if i >= len(call.ArgumentList) {
		return "", false
	}
	return names.LiteralString(call.ArgumentList[i])
}

// objectField returns the value of a key of an object literal.
func objectField(e ast.Expression, key string) ast.Expression {
	o, ok := e.(*ast.ObjectLiteral)
	if !ok {
		return nil
	}
	for _, p := range o.Value {
		if kv, ok := p.(*ast.PropertyKeyed); ok {
			if k, ok := names.PropertyKey(kv); ok && k == key {
				return kv.Value
			}
		}
	}
	return nil
}

// explicitName returns the name a decorator factory call gives: its
// first argument as a string, or the name field of its options object.
func explicitName(call *ast.CallExpression) (string, bool) {
	if s, ok := literalArg(call, 0); ok {
		return s, true
	}
	for _, a := range call.ArgumentList {
		if v := objectField(a, "name"); v != nil {
			if s, ok := names.LiteralString(v); ok {
				return s, true
			}
		}
	}
	return "", false
}

// decorated collects into r the classes that the factory calls of
// package members ms decorate, and the explicit names the calls give into
// r.explicit. A class given an explicit name is registered only when
// byClass says the package still knows it by its class name too.
func decorated(calls []*names.PackageCall, r *registry, byClass bool, pkgs []string, ms ...string) {
	for _, c := range calls {
		if c.Applied() || !slices.Contains(pkgs, c.Package) || !slices.Contains(ms, c.Member()) {
			continue
		}
		if s, ok := explicitName(c.Node); ok {
			r.explicit[s] = true
			if !byClass {
				continue
			}
		}
		for _, fn := range c.Decorates {
			if fn.IsClass {
				r.add(fn, startOf(c.Node))
			}
		}
	}
}

// keepClassNames is the fix every package finding ends with.
const keepClassNames = "or keep class names (esbuild keepNames, terser/swc keep_classnames)"

// reportPackageKeys reports lookups by literal names in package
// registries keyed by class names (name-key): TypeORM relation targets
// and NestJS injection tokens.
func reportPackageKeys(p *analyzer.Pass) {
	nf := p.File.Names
	calls := nf.PackageCalls()
	if len(calls) == 0 {
		return
	}
	reportTypeORMTargets(p, calls)
	reportNestTokens(p, calls)
	reportConstraintKeys(p, calls)
}

// reportTypeORMTargets reports relations whose string target no entity
// class carries at runtime.
func reportTypeORMTargets(p *analyzer.Pass, calls []*names.PackageCall) {
	nf := p.File.Names
	entities := newRegistry()
	typeorm := []string{"typeorm"}
	decorated(calls, entities, true, typeorm, "Entity", "ChildEntity", "ViewEntity")
	// TypeORM matches a string target with an entity's class name or
	// its given table name.
	for _, c := range calls {
		if c.Package != "typeorm" || c.Applied() {
			continue
		}
		switch c.Member() {
		case "OneToMany", "ManyToOne", "OneToOne", "ManyToMany":
		default:
			continue
		}
		lit, ok := literalArg(c.Node, 0)
		if !ok {
			continue
		}
		fn, miss := entities.miss(nf, lit)
		if !miss {
			continue
		}
		what := fmt.Sprintf("the entity classes of this bundle are named %s at runtime: no entity is %q once minified", entities.runtimeNames(), lit)
		name := ""
		if fn != nil {
			what = fmt.Sprintf("class %s is %q at runtime in this bundle: the relation finds no entity", fn.SourceName(), fn.Runtime)
			name = fn.SourceName()
		}
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(c.Node.ArgumentList[0]),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("TypeORM resolves the relation target %q by entity class name, and %s. Pass the class (@%s(() => %s, …)), %s.",
				lit, what, c.Member(), lit, keepClassNames),
			Name:    name,
			Related: entities.place(fn, registeredHere),
		})
	}
}

// reportNestTokens reports string injection tokens that no provider
// carries once provide: cls.name tokens are minified.
func reportNestTokens(p *analyzer.Pass, calls []*names.PackageCall) {
	nf := p.File.Names
	nest := false
	for _, c := range calls {
		nest = nest || c.Package == "@nestjs/common"
	}
	if !nest {
		return
	}
	tokens := newRegistry()
	derived := false
	nf.Inspect(func(n ast.Node, stack []ast.Node) bool {
		o, ok := n.(*ast.ObjectLiteral)
		if !ok {
			return true
		}
		v := objectField(o, "provide")
		if v == nil || objectField(o, "useClass") == nil && objectField(o, "useFactory") == nil && objectField(o, "useValue") == nil && objectField(o, "useExisting") == nil {
			return true
		}
		if s, ok := names.LiteralString(v); ok {
			tokens.explicit[s] = true
			return true
		}
		d, ok := v.(*ast.DotExpression)
		if !ok || d.Identifier.Name != "name" {
			return true
		}
		fns, _ := nf.FuncsOf(d.Left, append(stack, o, d))
		for _, fn := range fns {
			if fn.IsClass {
				derived = true
				tokens.add(fn, startOf(d))
			}
		}
		return true
	})
	if !derived {
		return
	}
	type lookup struct {
		node ast.Expression
		lit  string
		how  string
	}
	var lookups []lookup
	for _, c := range calls {
		if c.Package != "@nestjs/common" || c.Applied() {
			continue
		}
		switch c.Member() {
		case "Inject":
			if lit, ok := literalArg(c.Node, 0); ok {
				lookups = append(lookups, lookup{c.Node.ArgumentList[0], lit, "injects"})
			}
		case "Module":
			if len(c.Node.ArgumentList) == 0 {
				continue
			}
			if list, ok := objectField(c.Node.ArgumentList[0], "exports").(*ast.ArrayLiteral); ok {
				for _, el := range list.Value {
					if lit, ok := names.LiteralString(el); ok {
						lookups = append(lookups, lookup{el, lit, "exports"})
					}
				}
			}
		}
	}
	for _, l := range lookups {
		fn, miss := tokens.miss(nf, l.lit)
		if !miss {
			continue
		}
		what := fmt.Sprintf("the providers registered under class names have the tokens %s in this bundle", tokens.runtimeNames())
		name := ""
		if fn != nil {
			what = fmt.Sprintf("class %s provides itself under %q in this bundle", fn.SourceName(), fn.Runtime)
			name = fn.SourceName()
		}
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(l.node),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("NestJS %s the token %q, but the providers are keyed by runtime class names (provide: cls.name) and %s: nothing provides %q once minified. Use the class as the token (@Inject(%s)) or an explicit string constant in both places, %s.",
				l.how, l.lit, what, l.lit, l.lit, keepClassNames),
			Name:    name,
			Related: tokens.place(fn, "the token is the runtime name of class %s (%q) here"),
		})
	}
}

// reportPackageTypenames reports __typename compared with the name of a
// GraphQL type that type-graphql derives from a renamed class
// (name-compare).
func reportPackageTypenames(p *analyzer.Pass) {
	nf := p.File.Names
	calls := nf.PackageCalls()
	if len(calls) == 0 {
		return
	}
	types := newRegistry()
	for _, root := range []string{"Query", "Mutation", "Subscription"} {
		types.explicit[root] = true
	}
	decorated(calls, types, false, []string{"type-graphql", "@nestjs/graphql"}, "ObjectType", "InterfaceType", "InputType", "ArgsType")
	if len(types.classes) == 0 {
		return
	}
	report := func(lit ast.Expression) {
		s, ok := names.LiteralString(lit)
		if !ok {
			return
		}
		fn, miss := types.miss(nf, s)
		if !miss {
			return
		}
		what := fmt.Sprintf("the types named after classes are %s in this bundle: no type is %q once minified", types.runtimeNames(), s)
		name := ""
		if fn != nil {
			what = fmt.Sprintf("class %s is %q at runtime, so its type's __typename is %q, never %q", fn.SourceName(), fn.Runtime, fn.Runtime, s)
			name = fn.SourceName()
		}
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(lit),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("__typename is compared with %q, but the GraphQL types are named after their classes (@ObjectType() without a name) and %s. Name the type (@ObjectType(%q)), %s.",
				s, what, s, keepClassNames),
			Name:    name,
			Related: types.place(fn, registeredHere),
		})
	}
	nf.Inspect(func(n ast.Node, _ []ast.Node) bool {
		switch x := n.(type) {
		case *ast.BinaryExpression:
			switch x.Operator {
			case token.STRICT_EQUAL, token.STRICT_NOT_EQUAL, token.EQUAL, token.NOT_EQUAL:
			default:
				return true
			}
			switch {
			case isTypename(x.Left):
				report(x.Right)
			case isTypename(x.Right):
				report(x.Left)
			}
		case *ast.SwitchStatement:
			if isTypename(x.Discriminant) {
				for _, c := range x.Body {
					if c.Test != nil {
						report(c.Test)
					}
				}
			}
		}
		return true
	})
}

// isTypename reports x.__typename.
func isTypename(e ast.Expression) bool {
	d, ok := e.(*ast.DotExpression)
	return ok && strings.EqualFold(d.Identifier.Name.String(), "__typename")
}

// reportTypeORMTables reports entities TypeORM names after their classes
// (name-derived): @Entity() without a name makes the table the class's
// name in snake case, "a" once minified. An SQL text of the bundle that
// names the table the source class gives (FROM "user"), which no entity
// has in this build, is an error; without it the renamed table is a
// warning.
func reportTypeORMTables(p *analyzer.Pass) {
	nf := p.File.Names
	calls := nf.PackageCalls()
	if len(calls) == 0 {
		return
	}
	tables := map[string]bool{} // every entity's table in this build
	type entity struct {
		fn   *names.Func
		call *ast.CallExpression
	}
	var unnamed []entity
	for _, c := range calls {
		if c.Package != "typeorm" || c.Applied() || c.Member() != "Entity" {
			continue
		}
		if s, ok := explicitName(c.Node); ok {
			tables[s] = true
			continue
		}
		for _, fn := range c.Decorates {
			if fn.IsClass && fn.RuntimeKnown {
				tables[snakeCase(fn.Runtime)] = true
				unnamed = append(unnamed, entity{fn, c.Node})
			}
		}
	}
	if len(unnamed) == 0 {
		return
	}
	sql := sqlTexts(nf)
	for _, e := range unnamed {
		fn, runtime := e.fn, snakeCase(e.fn.Runtime)
		if !nf.Mangled(fn) {
			continue
		}
		if fn.OriginalKnown {
			source := snakeCase(fn.Original)
			if source == runtime {
				continue
			}
			if at, ok := sql[source]; ok && !tables[source] {
				p.Report(analyzer.Diagnostic{
					Pos:      at,
					Severity: analyzer.Error,
					Message: fmt.Sprintf("this SQL names the table %q, which TypeORM derives from class %s in the source (@Entity() without a name), but the class is %q at runtime, so its table is %q in this build and no entity's table is %q. Name the table (@Entity(%q)), %s.",
						source, fn.SourceName(), fn.Runtime, runtime, source, source, keepClassNames),
					Name:    fn.SourceName(),
					Related: []analyzer.Related{{Pos: startOf(e.call), Message: fmt.Sprintf("class %s is registered here, its table named after it", fn.SourceName())}},
				})
				continue
			}
			p.Report(analyzer.Diagnostic{
				Pos:      startOf(e.call),
				Severity: analyzer.Warning,
				Message: fmt.Sprintf("TypeORM names the table of class %s after the class (@Entity() without a name): %q in this build instead of %q, and the next build may rename it again. Name the table (@Entity(%q)), %s.",
					fn.SourceName(), runtime, source, source, keepClassNames),
				Name: fn.SourceName(),
			})
			continue
		}
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(e.call),
			Severity: analyzer.Warning,
			Message: fmt.Sprintf("TypeORM names the table of this entity after its class (@Entity() without a name), which is %q at runtime: the table is %q in this build, and the next build may rename it again. Name the table explicitly, %s.",
				fn.Runtime, runtime, keepClassNames),
		})
	}
}

// snakeCase is TypeORM's default table name for a class name
// (DefaultNamingStrategy.tableName).
func snakeCase(s string) string {
	s = typeormABc.ReplaceAllString(s, "${1}_$2$3")
	s = typeormAC.ReplaceAllString(s, "${1}_$2")
	return strings.ToLower(s)
}

var (
	typeormABc = regexp.MustCompile(`([A-Z])([A-Z])([a-z])`)
	typeormAC  = regexp.MustCompile(`([a-z0-9])([A-Z])`)
	// sqlTableRE finds the tables an SQL text names.
	sqlTableRE = regexp.MustCompile("(?i)\\b(?:from|join|into|update|table)\\s+[\"`']?([A-Za-z_][A-Za-z0-9_]*)")
)

// sqlTexts returns the tables the string literals of the bundle name in
// SQL, each with the position of the first literal that names it.
func sqlTexts(nf *names.Facts) map[string]int {
	out := map[string]int{}
	add := func(s string, pos int) {
		for _, m := range sqlTableRE.FindAllStringSubmatch(s, -1) {
			if _, ok := out[m[1]]; !ok {
				out[m[1]] = pos
			}
		}
	}
	nf.Inspect(func(n ast.Node, _ []ast.Node) bool {
		switch x := n.(type) {
		case *ast.StringLiteral:
			if len(x.Value) > 10 && len(x.Value) < 10000 {
				add(x.Value.String(), startOf(x))
			}
		case *ast.TemplateLiteral:
			for _, el := range x.Elements {
				add(el.Parsed.String(), startOf(x))
			}
		}
		return true
	})
	return out
}

// reportConstraintKeys reports tables keyed by the source names of
// class-validator constraints (name-key): @ValidatorConstraint() without
// a name names the constraint after its class, and a validation error's
// constraints are keyed by that name. A table the bundle looks up by
// computed keys, with an entry under a constraint class's source name
// that the map shows renamed, misses it in this build.
//
// Without the map the evidence is the table itself: it is keyed like
// validation errors' constraints (an entry under one of class-validator's
// own constraint names, such as isEmail), and it holds an entry under a
// class-like name that no constraint carries: every constraint named
// after its class has a mangled name, no function of the bundle is
// called that at runtime, and no constraint is given that name
// explicitly (@ValidatorConstraint({ name }), registerDecorator({ name })).
func reportConstraintKeys(p *analyzer.Pass, calls []*names.PackageCall) {
	nf := p.File.Names
	constraints := newRegistry()
	decorated(calls, constraints, false, []string{"class-validator"}, "ValidatorConstraint")
	bySource := map[string]*names.Func{}
	known := false // the map knows a constraint class's source name
	for _, fn := range constraints.classes {
		known = known || fn.OriginalKnown
		if fn.OriginalKnown && fn.Original != fn.Runtime && !constraints.explicit[fn.Original] {
			bySource[fn.Original] = fn
		}
	}
	stray := !known && len(constraints.classes) > 0 && nf.Minified
	if len(bySource) == 0 && !stray {
		return
	}
	// The tables: object literals a binding is initialized with and
	// read by a computed key. named are the strings written under a
	// "name" key (constraint names given explicitly).
	read := map[*ast.ObjectLiteral]bool{}
	named := map[string]bool{}
	nf.Inspect(func(n ast.Node, _ []ast.Node) bool {
		if kv, ok := n.(*ast.PropertyKeyed); ok {
			if k, _ := names.PropertyKey(kv); k == "name" {
				if s, ok := constString(kv.Value); ok {
					named[s] = true
				}
			}
			return true
		}
		be, ok := n.(*ast.BracketExpression)
		if !ok {
			return true
		}
		if _, lit := names.LiteralString(be.Member); lit {
			return true
		}
		if id, ok := be.Left.(*ast.Identifier); ok {
			if b := nf.Scope.Resolve(id); b != nil {
				init := b.Init
				// uglify-js folds the statements before a declaration
				// into its initializer: c = (i(…), i(…), {…}).
				if seq, ok := init.(*ast.SequenceExpression); ok && len(seq.Sequence) > 0 {
					init = seq.Sequence[len(seq.Sequence)-1]
				}
				if o, ok := init.(*ast.ObjectLiteral); ok {
					read[o] = true
				}
			}
		}
		return true
	})
	for o := range read {
		if stray {
			reportStrayConstraintKeys(p, o, constraints, named)
		}
		for _, prop := range o.Value {
			kv, ok := prop.(*ast.PropertyKeyed)
			if !ok {
				continue
			}
			key, ok := names.PropertyKey(kv)
			fn := bySource[key]
			if !ok || fn == nil {
				continue
			}
			p.Report(analyzer.Diagnostic{
				Pos:      startOf(kv.Key),
				Severity: analyzer.Error,
				Message: fmt.Sprintf("this table holds an entry under %q, the name class-validator gives the constraint of class %s in the source (@ValidatorConstraint() without a name), but the class is %q at runtime, so validation errors key the constraint %q in this build and the entry is never found. Name the constraint (@ValidatorConstraint({ name: %q })), %s.",
					key, fn.SourceName(), fn.Runtime, fn.Runtime, key, keepClassNames),
				Name:    fn.SourceName(),
				Related: constraints.place(fn, registeredHere),
			})
		}
	}
}

// reportStrayConstraintKeys reports, without the map, the entries of
// table o under class-like names no constraint carries, when o is keyed
// like validation errors' constraints (see reportConstraintKeys).
func reportStrayConstraintKeys(p *analyzer.Pass, o *ast.ObjectLiteral, constraints *registry, named map[string]bool) {
	builtin := ""
	for _, prop := range o.Value {
		if kv, ok := prop.(*ast.PropertyKeyed); ok {
			if key, ok := names.PropertyKey(kv); ok && validatorConstraints[key] {
				builtin = key
				break
			}
		}
	}
	if builtin == "" {
		return
	}
	var strays []*ast.PropertyKeyed
	for _, prop := range o.Value {
		kv, ok := prop.(*ast.PropertyKeyed)
		if !ok {
			continue
		}
		key, ok := names.PropertyKey(kv)
		if ok && !constraints.explicit[key] && !named[key] && strayClassName(p.File.Names, key, constraints.classes) {
			strays = append(strays, kv)
		}
	}
	// Each stray entry stands for one class named in the source: more
	// of them than classes, and some entry is something else (a
	// fallback), which one the bundle does not tell.
	if len(strays) > len(constraints.classes) {
		return
	}
	for _, kv := range strays {
		key, _ := names.PropertyKey(kv)
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(kv.Key),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("this table holds an entry under %q and is keyed like class-validator's constraints (%q), but no constraint is %q in this minified bundle: the constraints named after their classes (@ValidatorConstraint() without a name) are %s at runtime, so validation errors never key a constraint %q and the entry is never found. Name the constraint (@ValidatorConstraint({ name: %q })), %s.",
				key, builtin, key, constraints.runtimeNames(), key, key, keepClassNames),
			Name:    key,
			Related: []analyzer.Related{{Pos: constraints.at[constraints.classes[0]], Message: fmt.Sprintf("constraint class %q is named after its class here", constraints.classes[0].Runtime)}},
		})
	}
}

// validatorConstraints are the names of class-validator's own
// constraints, the keys of a validation error's constraints for its
// decorators.
var validatorConstraints = func() map[string]bool {
	set := map[string]bool{}
	for _, s := range strings.Fields(`equals notEquals isEmpty isNotEmpty isDefined isIn isNotIn
		isBoolean isDate isString isNumber isInt isArray isEnum isObject isNotEmptyObject
		isPositive isNegative min max minDate maxDate contains notContains isAlpha
		isAlphanumeric isDecimal isAscii isBase32 isBase58 isBase64 isBIC isBooleanString
		isBtcAddress isByteLength isCreditCard isCurrency isDataURI isDateString isEAN
		isEmail isEthereumAddress isFQDN isFirebasePushId isFullWidth isHalfWidth isHash
		isHexColor isHexadecimal isHSL isIBAN isIdentityCard isIP isISBN isISIN isISO8601
		isISO31661Alpha2 isISO31661Alpha3 isISO4217CurrencyCode isISRC isISSN isJSON isJWT
		isLatLong isLatitude isLongitude isLocale isLowercase isMACAddress isMagnetURI
		isMilitaryTime isMimeType isMobilePhone isMongoId isMultibyte isNumberString isOctal
		isPassportNumber isPhoneNumber isPort isPostalCode isRFC3339 isRgbColor isSemVer
		isStrongPassword isSurrogatePair isTaxId isTimeZone isUppercase isUrl isUUID
		isVariableWidth isDivisibleBy isInstance length minLength maxLength matches
		arrayContains arrayNotContains arrayNotEmpty arrayMinSize arrayMaxSize arrayUnique
		whitelistValidation nestedValidation unknownValue customValidation`) {
		set[s] = true
	}
	return set
}()
