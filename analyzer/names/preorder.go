package names

import "github.com/dop251/goja/ast"

// blockSize is the number of nodes per block of a preorder list: 16 K
// nodes, 320 KB.
const blockSize = 1 << 14

// preorder is a program's nodes in preorder with their depths, stored in
// fixed-size blocks: a big bundle has millions of nodes, and one growing
// slice would copy them again and again (five times the final size
// allocated over the walk) and leave up to a quarter of its capacity
// unused.
type preorder struct {
	blocks []*block
	n      int // nodes in the list
}

type block struct {
	nodes [blockSize]ast.Node
	depth [blockSize]uint16 // parse.MaxDepth bounds the depth far below 65,536
}

func (p *preorder) add(n ast.Node, depth int) {
	i := p.n % blockSize
	if i == 0 {
		p.blocks = append(p.blocks, new(block))
	}
	b := p.blocks[len(p.blocks)-1]
	b.nodes[i], b.depth[i] = n, uint16(min(depth, 1<<16-1))
	p.n++
}

// at returns the i-th node and its depth.
func (p *preorder) at(i int) (ast.Node, int) {
	b := p.blocks[i/blockSize]
	return b.nodes[i%blockSize], int(b.depth[i%blockSize])
}

// inspect is Facts.Inspect.
func (p *preorder) inspect(visit func(n ast.Node, stack []ast.Node) bool) {
	stack := make([]ast.Node, 0, 64)
	for i := 0; i < p.n; i++ {
		n, d := p.at(i)
		stack = stack[:d]
		if !visit(n, stack) {
			// Skip the subtree: the nodes after n that are deeper.
			for i+1 < p.n {
				if _, dd := p.at(i + 1); dd <= d {
					break
				}
				i++
			}
			continue
		}
		stack = append(stack, n)
	}
}
