package rules

import (
	"fmt"

	"github.com/dop251/goja/ast"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/names"
)

// class-transformer picks the class of a nested object by a tag the data
// carries: @Type(() => Base, { discriminator: { property: "__type",
// subTypes: [{ name: "Landscape", value: Landscape }, …] } }). Sub-types
// named by their classes' runtime names (name: cls.name) match the tags
// data written before minification carries only while the classes keep
// their names. The library is often bundled, so the shape is read where
// the options are written, whatever code receives them.

// discriminator is one discriminator option object of the bundle.
type discriminator struct {
	property string
	// named are the sub-types whose name is a runtime name: the read,
	// and the classes it may be.
	named []*names.Read
	// fixed are the names given as strings.
	fixed map[string]bool
}

// reportDiscriminatorTags reports data objects whose discriminator tag
// names a sub-type by the name its class had in the source (with a map),
// or by a name no sub-type carries in a bundle whose classes are mangled.
func reportDiscriminatorTags(p *analyzer.Pass, ds []*discriminator, lits *registryLiterals) {
	if len(ds) == 0 {
		return
	}
	named := map[string]bool{}
	for _, kv := range lits.tags["name"] {
		s, _ := constString(kv.Value)
		named[s] = true
	}
	for _, d := range ds {
		for _, kv := range lits.tags[d.property] {
			reportDiscriminatorTag(p, d, kv, named)
		}
	}
}

// readDiscriminator reads a discriminator option { property: "…",
// subTypes: … } (stack: its ancestors), or returns nil when it is none or
// names no sub-type by a runtime name.
func readDiscriminator(nf *names.Facts, obj *ast.ObjectLiteral, stack []ast.Node, readAt map[ast.Node]*names.Read) *discriminator {
	d := &discriminator{fixed: map[string]bool{}}
	hasSubTypes := false
	for _, prop := range obj.Value {
		kv, ok := prop.(*ast.PropertyKeyed)
		if !ok {
			continue
		}
		switch k, _ := names.PropertyKey(kv); k {
		case "property":
			d.property, _ = constString(kv.Value)
		case "subTypes":
			hasSubTypes = true
		}
	}
	if d.property == "" || !hasSubTypes {
		return nil
	}
	subs, _ := nf.ElementObjects(obj, "subTypes", stack)
	for _, sub := range subs {
		var name ast.Expression
		for _, prop := range sub.Value {
			if kv, ok := prop.(*ast.PropertyKeyed); ok && !kv.Computed {
				if k, _ := names.PropertyKey(kv); k == "name" {
					name = kv.Value
				}
			}
		}
		if s, ok := constString(name); ok {
			d.fixed[s] = true
			continue
		}
		r := readAt[name]
		if r == nil || r.Candidates == nil {
			continue
		}
		d.named = append(d.named, r)
	}
	if len(d.named) == 0 {
		return nil
	}
	return d
}

// reportDiscriminatorTag judges one data object's tag (kv) against d;
// namesLiteral are the strings the bundle writes under a "name" key.
func reportDiscriminatorTag(p *analyzer.Pass, d *discriminator, kv *ast.PropertyKeyed, namesLiteral map[string]bool) {
	nf := p.File.Names
	tag, _ := constString(kv.Value)
	if d.fixed[tag] {
		return
	}
	var classes []*names.Func
	partial := false
	for _, r := range d.named {
		partial = partial || r.Partial
		for _, fn := range r.Candidates {
			if fn.Runtime == tag {
				return // a sub-type has that name here
			}
			classes = append(classes, fn)
		}
	}
	read := d.named[0]
	if fn := renamedFrom(classes, tag); fn != nil {
		p.Report(analyzer.Diagnostic{
			Pos:      startOf(kv.Value),
			Severity: analyzer.Error,
			Message: fmt.Sprintf("this object's %q tag is %q, which class-transformer's discriminator matches with its sub-types' names (%s), but the minifier renamed %s: no sub-type is %q in this build, so the object does not become a %s. "+
				"Name the sub-types with strings you own (name: %q), %s.",
				d.property, tag, p.Text(read.Node, 40), renames([]*names.Func{fn}), tag, fn.SourceName(), tag, keepClassNames),
			Name:    fn.SourceName(),
			Related: []analyzer.Related{{Pos: read.Pos, Message: "the sub-types are named by their classes' runtime names here: " + p.Text(read.Node, 60)}},
		})
		return
	}
	// Without the map (or where it does not know the class): a tag no
	// sub-type carries, while every sub-type is named by a mangled class
	// name. Sub-types the flows do not show (the options reached the
	// library, which may add to them) would be named by a literal
	// somewhere in the bundle (namesLiteral: every `name: "…"`).
	if partial || namesLiteral[tag] || !strayClassName(nf, tag, classes) {
		return
	}
	p.Report(analyzer.Diagnostic{
		Pos:      startOf(kv.Value),
		Severity: analyzer.Error,
		Message: fmt.Sprintf("this object's %q tag is %q, which class-transformer's discriminator matches with its sub-types' names (%s), but in this minified bundle %s: no sub-type is %q, so the object does not become one. "+
			"Name the sub-types with strings you own (name: %q), %s.",
			d.property, tag, p.Text(read.Node, 40), runtimeNames(classes), tag, tag, keepClassNames),
		Name:    tag,
		Related: []analyzer.Related{{Pos: read.Pos, Message: "the sub-types are named by their classes' runtime names here: " + p.Text(read.Node, 60)}},
	})
}
