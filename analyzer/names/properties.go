package names

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/token"
)

// PropertyUse counts the places a program reads and writes a property
// name.
type PropertyUse struct {
	// Reads are o.k, o["k"], "k" in o, o.hasOwnProperty("k") (also
	// through .call) and Object.hasOwn(o, "k").
	Reads int
	// Writes are assignments to o.k and o["k"], object literal keys,
	// class members and Object.defineProperty(o, "k", …).
	Writes int
}

// PropertyUse returns how the program uses the property name key. The
// counts are made by one walk, on the first call.
func (f *Facts) PropertyUse(key string) PropertyUse {
	f.propsOnce.Do(f.countProperties)
	return f.props[key]
}

// countProperties walks the program once for PropertyUse.
func (f *Facts) countProperties() {
	f.props = map[string]PropertyUse{}
	read := func(k string) { u := f.props[k]; u.Reads++; f.props[k] = u }
	write := func(k string) { u := f.props[k]; u.Writes++; f.props[k] = u }
	constKey := func(e ast.Expression, use func(string)) {
		if k, ok := f.constString(e); ok {
			use(k)
		}
	}
	f.Inspect(func(n ast.Node, stack []ast.Node) bool {
		switch x := n.(type) {
		case *ast.DotExpression:
			read(x.Identifier.Name.String())
		case *ast.BracketExpression:
			constKey(x.Member, read)
		case *ast.BinaryExpression:
			if x.Operator == token.IN {
				constKey(x.Left, read)
			}
		case *ast.CallExpression:
			d, ok := x.Callee.(*ast.DotExpression)
			if !ok {
				break
			}
			args := x.ArgumentList
			switch m := d.Identifier.Name.String(); {
			case m == "hasOwnProperty" && len(args) == 1:
				constKey(args[0], read)
			case (m == "hasOwn" || m == "call" && isHasOwnProperty(d.Left)) && len(args) >= 2:
				constKey(args[1], read)
			case m == "defineProperty" && len(args) >= 2:
				constKey(args[1], write)
			}
		case *ast.AssignExpression:
			switch t := x.Left.(type) {
			case *ast.DotExpression:
				write(t.Identifier.Name.String())
			case *ast.BracketExpression:
				constKey(t.Member, write)
			}
		case *ast.PropertyKeyed, *ast.PropertyShort:
			if k, ok := PropertyKey(x.(ast.Property)); ok {
				write(k)
			}
		case *ast.MethodDefinition:
			if k, ok := propName(x.Key, x.Computed); ok {
				write(k)
			}
		case *ast.FieldDefinition:
			if k, ok := propName(x.Key, x.Computed); ok {
				write(k)
			}
		}
		return true
	})
}

// isHasOwnProperty reports x.hasOwnProperty (called through .call).
func isHasOwnProperty(e ast.Expression) bool {
	d, ok := e.(*ast.DotExpression)
	return ok && d.Identifier.Name == "hasOwnProperty"
}
