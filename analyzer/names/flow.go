package names

import (
	"encoding/json"
	"strings"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"

	"github.com/manglecheck/manglecheck/analyzer/scope"
	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// flowUp follows a name value e (whose ancestors are stack) outwards
// through expressions that pass it on, and records what finally happens
// to it. Intra-procedural and cheap: variables, parameters of known
// callees, returns and properties carry it further, in the next round.
func (f *Facts) flowUp(e ast.Expression, stack []ast.Node, src *Read, d Derivation) {
	cur := ast.Node(e)
	for i := len(stack) - 1; i >= 0; i-- {
		switch p := stack[i].(type) {
		case *ast.ConditionalExpression:
			if p.Test == cur {
				return
			}
			d = d.then(Step{Op: StepOther})
		case *ast.SequenceExpression:
			if len(p.Sequence) == 0 || p.Sequence[len(p.Sequence)-1] != cur {
				return
			}
		case *ast.OptionalChain, *ast.Optional, *ast.SpreadElement:
			// transparent
		case *ast.TemplateLiteral:
			if p.Tag != nil {
				return
			}
			d = d.then(f.templateStep(p, cur)...)
		case *ast.BinaryExpression:
			var goesOn bool
			n := len(f.Uses)
			if d, goesOn = f.flowBinary(p, cur, src, d); !goesOn {
				if len(f.Uses) > n && f.Uses[n].Kind == UseCompare {
					u := f.Uses[n]
					u.Guards, u.GuardNames = f.guardFuncs(instanceGuards(src, p, stack[:i]), stack[:i])
				}
				return
			}
		case *ast.DotExpression:
			call, next := f.flowMethod(p, cur, stack[:i], src, d)
			if call == nil {
				return
			}
			// The transformed name is the call's result: go on above it.
			d, cur = next, call
			i--
			continue
		case *ast.CallExpression:
			if !quotedInText(p, cur, stack[:i]) {
				f.flowEnd(p, cur, stack[:i], src, d)
				return
			}
			// JSON.stringify(C.name) inside a template or a
			// concatenation quotes the name in a text (a message,
			// `unknown network ${JSON.stringify(n.name)}`): the text
			// goes on, serialized only if it is.
			d = d.then(Step{Op: StepPrefix, S: `"`}, Step{Op: StepSuffix, S: `"`})
		default:
			f.flowEnd(p, cur, stack[:i], src, d)
			return
		}
		cur = stack[i]
	}
}

// returnsOther reports whether the function fn has a return statement
// besides ret whose value may be another string than ret's: anything but
// ret's own variable, a literal or nothing. Returns of nested functions
// are theirs.
func returnsOther(fn ast.Node, ret *ast.ReturnStatement) bool {
	var body ast.Node
	switch x := fn.(type) {
	case *ast.FunctionLiteral:
		body = x.Body
	case *ast.ArrowFunctionLiteral:
		body = x.Body
	}
	if body == nil {
		return false
	}
	own, _ := ret.Argument.(*ast.Identifier)
	other := false
	walk.Inspect(body, func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral, *ast.ClassLiteral:
			return false
		case *ast.ReturnStatement:
			if x == ret || x.Argument == nil {
				return false
			}
			switch a := x.Argument.(type) {
			case *ast.StringLiteral, *ast.NumberLiteral, *ast.BooleanLiteral, *ast.NullLiteral:
			case *ast.Identifier:
				if own == nil || a.Name != own.Name {
					other = other || a.Name != "undefined"
				}
			default:
				other = true
			}
			return false
		}
		return !other
	})
	return other
}

// quotedInText reports whether call is JSON.stringify(arg) whose result is
// part of a text: interpolated into a template literal, or an operand of
// +.
func quotedInText(call *ast.CallExpression, arg ast.Node, outer []ast.Node) bool {
	d, ok := call.Callee.(*ast.DotExpression)
	if !ok || d.Identifier.Name != "stringify" || !isIdent(d.Left, "JSON") ||
		len(call.ArgumentList) != 1 || ast.Node(call.ArgumentList[0]) != arg || len(outer) == 0 {
		return false
	}
	switch p := outer[len(outer)-1].(type) {
	case *ast.TemplateLiteral:
		return p.Tag == nil
	case *ast.BinaryExpression:
		return p.Operator == token.PLUS
	}
	return false
}

// addUse records a use of the name read src at node n.
func (f *Facts) addUse(kind UseKind, src *Read, n ast.Node, d Derivation) *Use {
	u := &Use{Kind: kind, Read: src, Node: n, Pos: walk.Start(n), Derivation: d}
	f.Uses = append(f.Uses, u)
	return u
}

// flowBinary follows the name cur through the binary expression p: it
// goes on (goesOn) through a logical operator and a concatenation (which
// derives from it), and ends in a comparison with a string or an `in`
// test.
func (f *Facts) flowBinary(p *ast.BinaryExpression, cur ast.Node, src *Read, d Derivation) (next Derivation, goesOn bool) {
	switch {
	case p.Operator == token.COALESCE && p.Left == cur:
		// A name is never null: the right side is never taken.
		return d, true
	case p.Operator == token.LOGICAL_OR || p.Operator == token.LOGICAL_AND || p.Operator == token.COALESCE:
		// The other operand may be the result: an anonymous function's
		// "" is falsy.
		return d.then(Step{Op: StepOther}), true
	case p.Operator == token.PLUS:
		return d.then(f.concatStep(p, cur)), true
	case isEquality(p.Operator):
		other := p.Right
		if other == cur {
			other = p.Left
		}
		if s, ok := f.constString(other); ok {
			u := f.addUse(UseCompare, src, p, d)
			u.Strings = []string{s}
		} else if strs, ok := f.paramStrings(other); ok {
			u := f.addUse(UseCompare, src, p, d)
			u.Strings = strs
		}
	case p.Operator == token.IN && p.Left == cur:
		f.addUse(UseKey, src, p, d)
	}
	return d, false
}

// flowMethod follows the name cur through a method called on it (p is
// cur.method, outer the ancestors of p). A string transform passes it
// on: call is the call, whose result holds the name derived by next. A
// comparison (startsWith, includes, match…) with fixed strings or
// regexps records a use. Anything else ends the flow (call is nil).
func (f *Facts) flowMethod(p *ast.DotExpression, cur ast.Node, outer []ast.Node, src *Read, d Derivation) (call *ast.CallExpression, next Derivation) {
	if p.Left != cur || len(outer) == 0 {
		return nil, d
	}
	call, ok := outer[len(outer)-1].(*ast.CallExpression)
	if !ok || call.Callee != p {
		return nil, d // e.g. name.length
	}
	switch m := p.Identifier.Name.String(); m {
	case "toLowerCase", "toUpperCase", "toLocaleLowerCase", "toLocaleUpperCase", "trim",
		"replace", "replaceAll", "slice", "substring", "substr", "concat", "padStart", "padEnd",
		"normalize", "toString", "valueOf", "trimStart", "trimEnd":
		return call, d.then(methodStep(m, call))
	case "startsWith", "endsWith", "includes", "indexOf", "lastIndexOf", "localeCompare", "match", "search", "matchAll":
		if (m == "match" || m == "matchAll") && extracted(call, outer[:len(outer)-1]) {
			return nil, d // the matches are text (a message), not a test
		}
		u := &Use{Kind: UseCompare, Read: src, Node: call, Pos: walk.Start(call), Derivation: d, Callee: m}
		for _, a := range call.ArgumentList {
			if s, ok := f.constString(a); ok {
				u.Strings = append(u.Strings, s)
			} else if re, ok := a.(*ast.RegExpLiteral); ok {
				u.Regexps = append(u.Regexps, re.Pattern)
			}
		}
		if len(u.Strings)+len(u.Regexps) > 0 {
			f.Uses = append(f.Uses, u)
		}
	}
	return nil, d
}

// extracted reports whether the result of call (whose ancestors are
// outer) is read as data, not tested: a member of it is taken
// (name.match(re)?.join(" "), name.match(re)[1]), as NestJS makes an
// exception's default message of its class name's words.
func extracted(call ast.Node, outer []ast.Node) bool {
	cur := call
	for i := len(outer) - 1; i >= 0; i-- {
		switch p := outer[i].(type) {
		case *ast.Optional:
			cur = p
			continue
		case *ast.DotExpression:
			return p.Left == cur
		case *ast.BracketExpression:
			return p.Left == cur
		case *ast.PrivateDotExpression:
			return p.Left == cur
		}
		return false
	}
	return false
}

// sameBinding reports whether a and b are identifiers of one binding.
func (f *Facts) sameBinding(a, b ast.Expression) bool {
	x, ok1 := a.(*ast.Identifier)
	y, ok2 := b.(*ast.Identifier)
	if !ok1 || !ok2 {
		return false
	}
	bx := f.Scope.Resolve(x)
	return bx != nil && bx == f.Scope.Resolve(y)
}

// flowEnd records what happens to the name cur at p, a node it does not
// pass through (outer are p's ancestors): a key, a comparison, an
// argument, a message, a store, or a binding, parameter or return value
// that carries it further in the next round.
func (f *Facts) flowEnd(p, cur ast.Node, outer []ast.Node, src *Read, d Derivation) {
	switch p := p.(type) {
	case *ast.ArrayLiteral:
		// [C.name, C]: an entry, keyed by the name, of the Map or
		// object built from it (new Map(entries),
		// Object.fromEntries(entries)).
		if len(p.Value) == 2 && p.Value[0] == cur {
			f.addUse(UseKey, src, p, d).Assign = true
		}
	case *ast.BracketExpression:
		if p.Member == cur {
			u := f.addUse(UseKey, src, p, d)
			if len(outer) > 0 {
				switch parent := outer[len(outer)-1].(type) {
				case *ast.AssignExpression:
					u.Assign = parent.Left == p
				case *ast.BinaryExpression:
					u.Fallback = parent.Left == p && (parent.Operator == token.COALESCE || parent.Operator == token.LOGICAL_OR) &&
						f.sameBinding(parent.Right, p.Member)
				}
			}
		}
	case *ast.SwitchStatement:
		if p.Discriminant == cur {
			f.flowSwitch(p, src, d)
		}
	case *ast.CallExpression:
		if p.Callee != cur {
			f.callUse(p, cur, src, d, outer)
		}
	case *ast.NewExpression:
		u := f.addUse(UseArg, src, p, d)
		u.Callee = calleeText(p.Callee)
		if isErrorCtor(u.Callee) {
			u.Kind = UseMessage
		}
	case *ast.ThrowStatement:
		f.addUse(UseMessage, src, p, d)
	case *ast.AssignExpression:
		if p.Right == cur {
			f.flowAssign(p, src, d)
		}
	case *ast.Binding:
		if p.Initializer == cur {
			if id, ok := p.Target.(*ast.Identifier); ok {
				f.flowInto(f.Scope.Declared(id), src, d)
			}
		}
	case *ast.PropertyKeyed:
		if p.Computed && p.Key == cur {
			f.addUse(UseKey, src, p, d).Assign = true // {[C.name]: C} writes the key
		} else if p.Value == cur {
			u := f.addUse(UseSerialize, src, p, d)
			u.Key, _ = propName(p.Key, p.Computed)
		}
	case *ast.ReturnStatement:
		if src.Candidates == nil {
			return // see callUse: unresolved names do not cross functions
		}
		if fn, _ := enclosingFunctionAny(f, outer); fn != nil {
			if returnsOther(fn.Node, p) {
				// lodash's getFuncName returns func.name, or the
				// name its table of real names holds for it: what the
				// call gives may be another string.
				d = d.then(Step{Op: StepOtherReturn})
			}
			f.flowFunc(fn, src, d)
		}
	case *ast.ExpressionBody:
		if len(outer) > 0 && src.Candidates != nil {
			if fn := f.byNode[outer[len(outer)-1]]; fn != nil {
				f.flowFunc(fn, src, d)
			}
		}
	}
}

// flowSwitch records switch (name) { case "A": … } as a comparison with
// the cases' fixed strings, if it has any.
func (f *Facts) flowSwitch(p *ast.SwitchStatement, src *Read, d Derivation) {
	u := &Use{Kind: UseCompare, Read: src, Node: p, Pos: walk.Start(p), Derivation: d}
	for _, c := range p.Body {
		if s, ok := f.constString(c.Test); ok {
			u.Strings = append(u.Strings, s)
		}
	}
	if len(u.Strings) > 0 {
		f.Uses = append(f.Uses, u)
	}
}

// flowAssign follows the name assigned by p: into the variable, or into
// the property it is stored under.
func (f *Facts) flowAssign(p *ast.AssignExpression, src *Read, d Derivation) {
	switch l := p.Left.(type) {
	case *ast.Identifier:
		f.flowInto(f.Scope.Resolve(l), src, d)
	case *ast.DotExpression:
		u := f.addUse(UseStore, src, p, d)
		u.Key = l.Identifier.Name.String()
		// this.name = this.constructor.name: reads of .name later
		// carry the class name. Only with a known class set: an
		// unresolved one would taint every .name in the bundle.
		if src.Candidates != nil && src.Kind != RecvProperty {
			if _, seen := f.flows.props[u.Key]; !seen {
				f.flows.props[u.Key] = flowSrc{src, d}
			}
		}
	case *ast.BracketExpression:
		u := f.addUse(UseStore, src, p, d)
		if s, ok := f.constString(l.Member); ok {
			u.Key = s
		}
	}
}

// callUse classifies a name value passed as an argument.
func (f *Facts) callUse(call *ast.CallExpression, arg ast.Node, src *Read, d Derivation, stack []ast.Node) {
	u := &Use{Kind: UseArg, Read: src, Node: call, Pos: walk.Start(call), Derivation: d, Callee: calleeText(call.Callee)}
	idx := -1
	for i, a := range call.ArgumentList {
		if a == arg {
			idx = i
		}
	}
	if d, ok := call.Callee.(*ast.DotExpression); ok {
		m := d.Identifier.Name.String()
		switch {
		case (m == "includes" || m == "indexOf" || m == "lastIndexOf") && idx == 0:
			if strs, ok := f.constStrings(d.Left); ok {
				// Array membership is equality, not the substring
				// test String.prototype.includes would be.
				u.Kind, u.Strings, u.Callee = UseCompare, strs, ""
			}
		case (m == "test" || m == "exec") && idx == 0:
			if re, ok := d.Left.(*ast.RegExpLiteral); ok {
				u.Kind, u.Regexps = UseCompare, []string{re.Pattern}
			}
		case (m == "set" || m == "get" || m == "has" || m == "delete") && idx == 0:
			u.Kind = UseKey
			u.Assign = m == "set"
		case m == "add" && idx == 0 && f.maySet(d.Left):
			// seen.add(fn.name): a Set of runtime names, read back with
			// has(); classList.add(C.name) and the like are no key.
			u.Kind = UseKey
			u.Assign = true
		case m == "stringify" && isIdent(d.Left, "JSON"):
			u.Kind = UseSerialize
		case isLogCall(d):
			u.Kind = UseMessage
		}
	} else if isErrorCtor(u.Callee) {
		u.Kind = UseMessage
	}
	if u.Kind == UseArg && idx >= 0 && src.Candidates != nil {
		// A known callee: the parameter carries the name on. Only for
		// names of known functions: an unresolved receiver's value, passed
		// on through calls, reaches code that has nothing to do with
		// function names (react-dom's element-tag switch).
		into := false
		for _, fn := range f.callees(call.Callee, stack) {
			if !fn.IsClass && idx < len(fn.Params) && fn.Params[idx] != nil {
				f.flowInto(fn.Params[idx], src, d)
				into = true
			}
		}
		if into {
			return
		}
	}
	f.Uses = append(f.Uses, u)
}

// callees returns the functions a call's callee may be: the one its
// binding certainly holds, or those the value flows bring to it (a method
// of an object, a function passed around), when the flows know every one
// of them.
func (f *Facts) callees(callee ast.Expression, stack []ast.Node) []*Func {
	if fn := f.Resolve(callee); fn != nil {
		return []*Func{fn}
	}
	if fns, complete := f.FuncsOf(callee, stack); complete {
		return fns
	}
	return nil
}

func (f *Facts) flowInto(b *scope.Binding, src *Read, d Derivation) {
	if b == nil {
		return
	}
	switch b.Kind {
	case scope.Var, scope.Let, scope.Const, scope.Param:
		if _, seen := f.flows.bindings[b]; !seen {
			f.flows.bindings[b] = flowSrc{src, d}
		}
	}
}

func (f *Facts) flowFunc(fn *Func, src *Read, d Derivation) {
	if _, seen := f.flows.funcs[fn]; !seen {
		f.flows.funcs[fn] = flowSrc{src, d}
	}
	// A getter's result is what reading its property gives: get key() {
	// return "store:" + this.constructor.name } makes this.key carry the
	// name, like this.key = … would (a known class set only, as there).
	if fn.RuntimeKnown && strings.HasPrefix(fn.Runtime, "get ") && src.Candidates != nil && src.Kind != RecvProperty {
		if k := fn.Runtime[len("get "):]; k != "" {
			if _, seen := f.flows.props[k]; !seen {
				f.flows.props[k] = flowSrc{src, d}
			}
		}
	}
}

// enclosingFunctionAny returns the innermost function (arrow or not)
// around the top of stack.
func enclosingFunctionAny(f *Facts, stack []ast.Node) (*Func, bool) {
	for i := len(stack) - 1; i >= 0; i-- {
		switch n := stack[i].(type) {
		case *ast.FunctionLiteral, *ast.ArrowFunctionLiteral:
			return f.byNode[n], true
		case *ast.ClassLiteral:
			return nil, false
		}
	}
	return nil, false
}

// ConstString returns the string an expression certainly evaluates to: a
// literal, a no-substitution template, or a binding that only ever holds
// one.
func (f *Facts) ConstString(e ast.Expression) (string, bool) { return f.constString(e) }

// constString returns the string an expression certainly evaluates to: a
// literal, a no-substitution template, or a const bound to one.
func (f *Facts) constString(e ast.Expression) (string, bool) {
	switch x := e.(type) {
	case *ast.StringLiteral, *ast.TemplateLiteral:
		return LiteralString(x)
	case *ast.AssignExpression:
		// [n.displayName = "Message", …]: an assignment is worth what
		// it assigns (uglify-js folds the statement into the list).
		if x.Operator == token.ASSIGN {
			return f.constString(x.Right)
		}
	case *ast.Identifier:
		b := f.Scope.Resolve(x)
		if b == nil || b.Mutated || b.Kind == scope.Param {
			return "", false
		}
		var v ast.Expression
		switch {
		case b.Init != nil && len(b.Assigns) == 0:
			v = b.Init
		case b.Init == nil && len(b.Assigns) == 1 && b.Assigns[0].Operator == token.ASSIGN:
			// var n; … n="Registered" — how compression hoists a
			// helper's argument after inlining it.
			v = b.Assigns[0].Right
		}
		if v != nil {
			return LiteralString(v)
		}
	}
	return "", false
}

// fallbackString returns the literal a key falls back to: k || "lit",
// k ?? "lit", directly or as the initializer of a binding nothing
// reassigns. The lookup is made with the literal whenever k is missing.
func (f *Facts) fallbackString(e ast.Expression) (string, bool) {
	if id, ok := e.(*ast.Identifier); ok {
		b := f.Scope.Resolve(id)
		if b == nil || b.Mutated || b.Kind == scope.Param || b.Init == nil || len(b.Assigns) > 0 {
			return "", false
		}
		e = b.Init
	}
	if x, ok := e.(*ast.BinaryExpression); ok && (x.Operator == token.LOGICAL_OR || x.Operator == token.COALESCE) {
		return LiteralString(x.Right)
	}
	return "", false
}

// LiteralString returns the value of a string literal or of a template
// with no substitution and no tag: Oxc (Vite 8, Rolldown) prints plain
// strings in backticks, so __name(c, `Foo`) is esbuild's "Foo".
func LiteralString(e ast.Expression) (string, bool) {
	switch x := e.(type) {
	case *ast.StringLiteral:
		return x.Value.String(), true
	case *ast.TemplateLiteral:
		if x.Tag == nil && len(x.Expressions) == 0 && len(x.Elements) == 1 {
			return x.Elements[0].Parsed.String(), true
		}
	}
	return "", false
}

// constStrings returns the strings of an array literal of strings, or of a
// binding that holds one.
func (f *Facts) constStrings(e ast.Expression) ([]string, bool) {
	if id, ok := e.(*ast.Identifier); ok {
		if b := f.Scope.Resolve(id); b != nil && b.Init != nil && len(b.Assigns) == 0 && !b.Mutated {
			e = b.Init
		}
	}
	if c, ok := e.(*ast.CallExpression); ok {
		return f.parsedStrings(c)
	}
	arr, ok := e.(*ast.ArrayLiteral)
	if !ok || len(arr.Value) == 0 {
		return nil, false
	}
	var out []string
	for _, v := range arr.Value {
		s, ok := f.constString(v)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// parsedStrings is constStrings of JSON.parse('["a","b"]'): a list the
// bundle ships as JSON text (a build-time constant, a config inlined by a
// define) is as literal as an array literal.
func (f *Facts) parsedStrings(c *ast.CallExpression) ([]string, bool) {
	d, ok := c.Callee.(*ast.DotExpression)
	if !ok || len(c.ArgumentList) != 1 || d.Identifier.Name.String() != "parse" || !isIdent(d.Left, "JSON") ||
		f.Scope.Resolve(d.Left.(*ast.Identifier)) != nil {
		return nil, false
	}
	text, ok := f.constString(c.ArgumentList[0])
	if !ok {
		return nil, false
	}
	var out []string
	if json.Unmarshal([]byte(text), &out) != nil || len(out) == 0 {
		return nil, false
	}
	return out, true
}

func isIdent(e ast.Expression, name string) bool {
	id, ok := e.(*ast.Identifier)
	return ok && id.Name.String() == name
}

// isLogCall recognises console.log and friends, and logger.warn-style
// calls.
func isLogCall(d *ast.DotExpression) bool {
	switch d.Identifier.Name.String() {
	case "log", "warn", "error", "info", "debug", "trace":
		return true
	}
	return false
}

func isErrorCtor(name string) bool {
	return strings.HasSuffix(name, "Error") || name == "Error"
}

// calleeText renders a callee like `console.log` or `customElements.define`
// (identifiers and dots only; "" otherwise).
func calleeText(e ast.Expression) string {
	switch x := e.(type) {
	case *ast.Identifier:
		return x.Name.String()
	case *ast.DotExpression:
		l := calleeText(x.Left)
		if l == "" {
			return x.Identifier.Name.String()
		}
		return l + "." + x.Identifier.Name.String()
	}
	return ""
}

// instanceGuards returns the classes C of the reference tests x
// instanceof C that decide the same question as the comparison cmp of
// the name src reads (x.constructor.name, or x.name where classes store
// their names): the operands of the || chain it is in (x instanceof C ||
// x.constructor.name === "C"), the test of a conditional it is the else
// branch of, and earlier statements of its block that return on one (if
// (x instanceof C) return true). The name test is then a fallback for
// instances of another copy of C. outer are cmp's ancestors.
func instanceGuards(src *Read, cmp ast.Node, outer []ast.Node) []ast.Expression {
	var x ast.Expression
	switch d, ok := src.Receiver.(*ast.DotExpression); {
	case ok && d.Identifier.Name == "constructor":
		x = d.Left
	case src.Kind == RecvProperty:
		// err.name, where classes store their names
		// (this.name = this.constructor.name).
		x = src.Receiver
	default:
		return nil
	}
	var out []ast.Expression
	cur := cmp
	for i := len(outer) - 1; i >= 0; i-- {
		switch p := outer[i].(type) {
		case *ast.BinaryExpression:
			switch p.Operator {
			case token.LOGICAL_AND:
			case token.LOGICAL_OR:
				other := p.Left
				if other == cur {
					other = p.Right
				}
				out = instanceTests(other, x, out)
			default:
				return out
			}
		case *ast.UnaryExpression:
			if p.Operator != token.NOT {
				return out
			}
		case *ast.ConditionalExpression:
			// x instanceof C ? true : test: how minifiers write the
			// early return.
			if p.Alternate != cur {
				return out
			}
			out = instanceTests(p.Test, x, out)
		case *ast.ReturnStatement, *ast.VariableDeclaration, *ast.LexicalDeclaration, *ast.ExpressionStatement, *ast.Binding:
		case *ast.IfStatement:
			if p.Test != cur {
				return out
			}
		case *ast.BlockStatement:
			return guardsBefore(p.List, cur, x, out)
		default:
			return out
		}
		cur = outer[i]
	}
	return out
}

// guardFuncs returns the functions or classes the instanceof right sides
// cs (inside stack) are: the one a binding holds, else the only one the
// value flows give it (uglify-js reuses a class's variable for other
// values). A right side the flows do not resolve that reads a property
// (e instanceof errors.DelayedError, of a module object) gives that
// property's name instead: object keys survive minification.
func (f *Facts) guardFuncs(cs []ast.Expression, stack []ast.Node) (fns []*Func, names []string) {
	for _, c := range cs {
		if fn := f.Resolve(c); fn != nil {
			fns = append(fns, fn)
		} else if got, _ := f.FuncsOf(c, stack); len(got) == 1 {
			fns = append(fns, got[0])
		} else if d, ok := c.(*ast.DotExpression); ok && len(got) == 0 {
			names = append(names, d.Identifier.Name.String())
		}
	}
	return fns, names
}

// guardsBefore appends to out the classes of the if (x instanceof C)
// return … statements of list before stmt.
func guardsBefore(list []ast.Statement, stmt ast.Node, x ast.Expression, out []ast.Expression) []ast.Expression {
	for _, s := range list {
		if s == stmt {
			break
		}
		if is, ok := s.(*ast.IfStatement); ok && returns(is.Consequent) {
			out = instanceTests(is.Test, x, out)
		}
	}
	return out
}

// returns reports whether s is a return statement (or a block holding
// only one).
func returns(s ast.Statement) bool {
	if b, ok := s.(*ast.BlockStatement); ok && len(b.List) == 1 {
		s = b.List[0]
	}
	_, ok := s.(*ast.ReturnStatement)
	return ok
}

// instanceTests appends to out the C of e when e is x instanceof C, or
// of each such operand of an || chain e is.
func instanceTests(e ast.Expression, x ast.Expression, out []ast.Expression) []ast.Expression {
	b, ok := e.(*ast.BinaryExpression)
	if !ok {
		return out
	}
	switch b.Operator {
	case token.INSTANCEOF:
		if sameRef(b.Left, x) {
			out = append(out, b.Right)
		}
	case token.LOGICAL_OR:
		out = instanceTests(b.Left, x, out)
		out = instanceTests(b.Right, x, out)
	}
	return out
}

// sameRef reports whether a and b are the same identifier or both this;
// a may assign b ((e = new C) instanceof C, after inlining).
func sameRef(a, b ast.Expression) bool {
	if as, ok := a.(*ast.AssignExpression); ok && as.Operator == token.ASSIGN {
		a = as.Left
	}
	switch a := a.(type) {
	case *ast.Identifier:
		b, ok := b.(*ast.Identifier)
		return ok && a.Name == b.Name
	case *ast.ThisExpression:
		_, ok := b.(*ast.ThisExpression)
		return ok
	}
	return false
}
