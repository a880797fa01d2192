package parse

import (
	"sync"

	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"

	"github.com/manglecheck/manglecheck/analyzer/walk"
)

// MinSplit is the size from which goja parses a bundle in pieces, one per
// core (up to MaxPieces). A minified bundle is mostly one statement list
// (the program, or the body of an IIFE or `var x=function(t){…}({})`), so
// it is cut at top-level statements and the pieces are parsed at once:
// Parse of three.js×10 minified (7.5 MB) goes from ~0.30 s to ~0.21 s on two
// cores, for ~5–15% more CPU (BenchmarkChunked). Smaller bundles are not
// worth the scan that finds the cuts.
const MinSplit = 1 << 20

// MaxPieces is the most pieces a bundle is parsed in.
const MaxPieces = 4

// pieces is how many pieces a text of size bytes is parsed in on the
// given number of cores, splitting from minSplit bytes (0: MinSplit).
func pieces(size, cores, minSplit int) int {
	if minSplit <= 0 {
		minSplit = MinSplit
	}
	if size < minSplit {
		return 1
	}
	return max(1, min(cores, MaxPieces))
}

// splitPlan is where to cut text, or nil to parse it whole.
func splitPlan(text string, cores, minSplit int) *plan {
	if n := pieces(len(text), cores, minSplit); n > 1 {
		return planSplit(text, n)
	}
	return nil
}

// parseText parses text with goja, in the pieces of p (from splitPlan)
// unless p is nil. The result is the AST the whole parse gives, node for
// node; whenever the pieces do not fit together, or one fails, the text is
// parsed whole, so errors are exactly those of the whole parse.
//
// depthOK reports that the pieces also found the tree no deeper than
// MaxDepth (each piece measures its own, concurrently), so Parse need not
// walk it again; false says nothing. chunked reports that the pieces were
// used.
//
// Splitting is decided by Options.Cores, the cores the caller has idle:
// when every core is busy with a file of its own, the pieces cost ~10%
// more CPU than the whole parse (the scan for the cuts, the skeleton's
// blanks, copies) and win nothing.
func parseText(path, text string, p *plan) (prg *ast.Program, depthOK, chunked bool, err error) {
	if p != nil {
		if prg, depth := parseChunked(path, text, p); prg != nil {
			return prg, depth <= MaxDepth, true, nil
		}
	}
	prg, err = gojaParse(path, text)
	return prg, false, false, err
}

// parseChunked parses the skeleton (text with [cuts[0], end) blanked) and
// each piece concurrently and splices the pieces' statements and var
// declarations into the body. nil if anything does not fit. depth is the
// tree's depth as maxDepth(prg, MaxDepth) would give it, from the depths
// the skeleton and the pieces measure concurrently.
//
// goja's positions are a file's base plus the offset in it, and ParseFile
// takes the base from the FileSet: a filler file of the right length first
// gives each piece the base at which its nodes get their offsets in text.
// A piece of a function body is parsed as the body of a function of the
// same kind: goja parses every function body in a fresh scope whose only
// context is parseFunctionBlock's async and allowYield (no labels, no
// loop, no strict mode: goja has none), so the piece parses as it does in
// place. Pieces start at an identifier after a `;` (see scanner), never at
// a string that could become a directive or at a `(` or `[` that could
// continue the previous statement.
func parseChunked(path, text string, p *plan) (res *ast.Program, depth int) {
	defer func() { // goja's Idx0 and Idx1 panic on some odd nodes
		if recover() != nil {
			res = nil
		}
	}()
	var wg sync.WaitGroup
	parts := parsePieces(&wg, path, text, p)
	prg, err := gojaParseIn(nil, path, skeleton(text, p))
	if err == nil {
		depth = maxDepth(prg, MaxDepth)
	}
	wg.Wait()
	if err != nil {
		return nil, 0
	}
	for _, pc := range parts {
		if !pc.ok {
			return nil, 0
		}
	}
	list, decls, stmtDepth, ok := cutBody(prg, text, p)
	if !ok {
		return nil, 0
	}
	for _, pc := range parts {
		*list = append(*list, pc.stmts...)
		*decls = append(*decls, pc.decls...)
		depth = max(depth, stmtDepth-1+pc.depth)
	}
	prg.File = file.NewFile(path, text, 1) // the skeleton's has blanks
	return prg, depth
}

// parsedPiece is what parsing one piece gave.
type parsedPiece struct {
	stmts []ast.Statement
	decls []*ast.VariableDeclaration
	ok    bool
	depth int // of its deepest statement, the statements at depth 1
}

// parsePieces starts parsing the pieces of p concurrently; their results
// are in the returned slice once wg is done.
func parsePieces(wg *sync.WaitGroup, path, text string, p *plan) []parsedPiece {
	parts := make([]parsedPiece, len(p.cuts))
	for k := range p.cuts {
		wg.Add(1)
		go func() {
			defer func() {
				if recover() != nil {
					parts[k].ok = false
				}
				wg.Done()
			}()
			end := p.end
			if k+1 < len(p.cuts) {
				end = p.cuts[k+1]
			}
			pc := &parts[k]
			pc.stmts, pc.decls, pc.ok = parsePiece(path, text, p, p.cuts[k], end)
			for _, st := range pc.stmts {
				if pc.depth = max(pc.depth, maxDepth(st, MaxDepth)); pc.depth > MaxDepth {
					break
				}
			}
		}()
	}
	return parts
}

// skeleton is text with the pieces, [cuts[0], end), blanked.
func skeleton(text string, p *plan) []byte {
	skel := make([]byte, len(text))
	copy(skel, text[:p.cuts[0]])
	for i := p.cuts[0]; i < p.end; i++ {
		skel[i] = ' '
	}
	copy(skel[p.end:], text[p.end:])
	return skel
}

// cutBody finds, in the skeleton's tree prg, the statement list the pieces
// were cut from (the program's, or the body of the function at p.open) and
// the declaration list their var declarations join, and the depth of its
// statements; false if the function there is not the one the scan saw. It
// gives the functions around the body their Source from text.
func cutBody(prg *ast.Program, text string, p *plan) (list *[]ast.Statement, decls *[]*ast.VariableDeclaration, stmtDepth int, ok bool) {
	if p.open < 0 {
		return &prg.Body, &prg.DeclarationList, 2, true // Program, statement
	}
	chain := enclosing(prg, p.open)
	if len(chain) == 0 {
		return nil, nil, 0, false
	}
	var blk *ast.BlockStatement
	switch fn := chain[len(chain)-1].(type) {
	case *ast.FunctionLiteral:
		if fn.Async != p.async || fn.Generator != p.gen || fn.Body.RightBrace != idx(p.end) {
			return nil, nil, 0, false
		}
		blk, decls = fn.Body, &fn.DeclarationList
	case *ast.ArrowFunctionLiteral:
		b, isBlock := fn.Body.(*ast.BlockStatement)
		if !isBlock || fn.Async != p.async || p.gen || b.RightBrace != idx(p.end) {
			return nil, nil, 0, false
		}
		blk, decls = b, &fn.DeclarationList
	default:
		return nil, nil, 0, false
	}
	for _, n := range chain {
		fixSource(text, n)
	}
	return &blk.List, decls, len(chain) + 2, true // …, function, block, statement
}

// idx is goja's position of byte offset off (see Offset).
func idx(off int) file.Idx { return file.Idx(off + 1) }

// fixSource gives the Source of a function or class around the body,
// which goja slices out of the skeleton, the text of the bundle: Source
// ends where the node does.
func fixSource(text string, n ast.Node) {
	var src *string
	switch n := n.(type) {
	case *ast.FunctionLiteral:
		src = &n.Source
	case *ast.ArrowFunctionLiteral:
		src = &n.Source
	case *ast.ClassLiteral:
		src = &n.Source
	case *ast.ClassStaticBlock:
		src = &n.Source
	default:
		return
	}
	end := Offset(n.Idx1())
	*src = text[end-len(*src) : end]
}

// enclosing returns the nodes from the program down to the function whose
// body's { is at offset open, descending through the nodes whose span
// holds it; nil if there is none.
func enclosing(prg *ast.Program, open int) []ast.Node {
	at := idx(open)
	var path []ast.Node
	var n ast.Node = prg
	for n != nil {
		path = append(path, n)
		switch fn := n.(type) {
		case *ast.FunctionLiteral:
			if fn.Body != nil && fn.Body.LeftBrace == at {
				return path
			}
		case *ast.ArrowFunctionLiteral:
			if b, ok := fn.Body.(*ast.BlockStatement); ok && b.LeftBrace == at {
				return path
			}
		}
		var next ast.Node
		walk.Children(n, func(c ast.Node) {
			if next == nil && c.Idx0() <= at && at < idx1(c) {
				next = c
			}
		})
		n = next
	}
	return nil
}

// idx1 is n.Idx1(), or 0 where goja's panics (a CaseStatement with no
// statement indexes its empty Consequent).
func idx1(n ast.Node) (i file.Idx) {
	defer func() {
		if recover() != nil {
			i = 0
		}
	}()
	return n.Idx1()
}

// parsePiece parses text[from:to], a run of statements of p's body, at its
// offset, and returns its statements and var declarations.
func parsePiece(path, text string, p *plan, from, to int) ([]ast.Statement, []*ast.VariableDeclaration, bool) {
	prefix, suffix := "", ""
	if p.open >= 0 {
		prefix = "(function(){"
		switch {
		case p.async && p.gen:
			prefix = "(async function*(){"
		case p.async:
			prefix = "(async function(){"
		case p.gen:
			prefix = "(function*(){"
		}
		// No newline: the token after the piece, here the }, must be where
		// it is in the bundle (the next piece's first token, or the body's
		// }), because goja ends a regex literal with flags where the next
		// token starts (`h=/;/g\n}` has Literal "/;/g\n"). A piece that
		// ends in a line comment ends with the line break before the next
		// token.
		suffix = "})"
	}
	base := from + 1 - len(prefix)
	if base < 2 {
		return nil, nil, false
	}
	src := make([]byte, 0, len(prefix)+to-from+len(suffix))
	src = append(append(append(src, prefix...), text[from:to]...), suffix...)
	fs := &file.FileSet{}
	fs.AddFile(path, text[:base-2]) // the next file's base is 1+len+1
	prg, err := gojaParseIn(fs, path, src)
	if err != nil {
		return nil, nil, false
	}
	stmts, decls := prg.Body, prg.DeclarationList
	if p.open >= 0 {
		fn := functionOf(prg)
		if fn == nil || fn.Body.RightBrace != file.Idx(base+len(src)-2) {
			return nil, nil, false
		}
		stmts, decls = fn.Body.List, fn.DeclarationList
	}
	if len(stmts) == 0 || !startsAt(stmts[0], idx(from)) {
		return nil, nil, false
	}
	return stmts, decls, true
}

// startsAt reports whether st starts at at. goja never sets an
// IfStatement's If (its Idx0 is 0): its test must follow.
func startsAt(st ast.Statement, at file.Idx) bool {
	if st, ok := st.(*ast.IfStatement); ok && st.If == 0 {
		return st.Test != nil && st.Test.Idx0() > at
	}
	return st.Idx0() == at
}

// functionOf returns the function of a piece's wrapper program `(function(){…})`.
func functionOf(prg *ast.Program) *ast.FunctionLiteral {
	if len(prg.Body) != 1 {
		return nil
	}
	st, ok := prg.Body[0].(*ast.ExpressionStatement)
	if !ok {
		return nil
	}
	fn, _ := st.Expression.(*ast.FunctionLiteral)
	return fn
}
