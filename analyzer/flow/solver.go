// Package flow is a flow-insensitive, inclusion-based (Andersen-style)
// value-set solver: variables hold sets of abstract values, copy edges
// make one set include another, and constraints attached to a variable
// are handed every value that reaches it, so a client can add the edges
// that depend on values (field loads and stores, call targets) as they
// appear. Sets past a bound degrade to {Unknown}: the solver never
// guesses which of many values a variable holds.
//
// The solver knows nothing of JavaScript: package names builds the
// constraints of a bundle and interprets them (see names/values.go),
// after the design of ACG and Jelly (one constraint graph built in one
// pass, a worklist, abstract values named by allocation site).
package flow

import "slices"

// Value is an abstract value, numbered by the client. Unknown (0) stands
// for any value the analysis cannot see: external code, a set past the
// bound.
type Value int32

// Unknown is the value of everything the analysis cannot follow.
const Unknown Value = 0

// Var is a constraint variable.
type Var int32

// NoVar is the variable of an expression whose value is not tracked.
const NoVar Var = -1

// Constraint is a client constraint attached to a variable: the solver
// calls the client's Handle with it for every value of the variable,
// those it holds now and those that arrive later. Kind, Key, Dst and Aux
// mean what the client makes them mean.
type Constraint struct {
	Kind uint8
	Key  int32
	Dst  Var
	Aux  int32
}

// Handler interprets constraints.
type Handler interface {
	Handle(s *Solver, c Constraint, v Value)
}

// Solver holds the graph and the sets.
type Solver struct {
	// Bound is the largest set kept; a larger one becomes {Unknown}.
	Bound int

	h Handler
	// vars holds the variables, in pages: a bundle makes hundreds of
	// thousands.
	vars  paged[varState]
	queue []Var
	head  int
	// deltas are the buffers of values not handed on yet, numbered by
	// varState.delta (0: none); spare are the numbers of emptied ones
	// Solve hands back for reuse: a variable is queued again and again,
	// and a fresh buffer each time was a third of the solver's
	// allocations.
	deltas paged[[]Value]
	spare  []int32
	// cons are the constraint lists, numbered by varState.cons (0: none):
	// most variables have none.
	cons paged[[]Constraint]
	// edges are the edges out of variables with more than edgeScan
	// successors.
	edges edgeSet
	// started is set by the first Solve (see Edge and Attach).
	started bool
	// solved holds the sets once Release froze them.
	solved *solvedSets
	// nextSearch is the number of edges at which Solve next looks for
	// cycles to collapse (cycles.go).
	nextSearch int
	// Stats counts the work done, for benchmarks and tests.
	Stats Stats
	// Limit stops the solver after this many value propagations (0: no
	// limit); Truncated reports that it did. A truncated solution is
	// incomplete, so clients treat every set as partial then.
	Limit     int
	Truncated bool
}

// Stats counts what the solver did.
type Stats struct {
	Edges, Adds, Constraints int
	// Collapsed counts the variables merged into others, in Cycles
	// cycles.
	Collapsed, Cycles int
	// Steps is the work Limit bounds: values handed to edges and
	// constraints.
	Steps int
}

// varState is one variable: its set, what is not handed on yet, its
// edges and constraints. It fits a 64-byte cache line: propagation
// touches variables all over the graph, and each miss costs more than
// the work done there.
type varState struct {
	pts  []Value // sorted
	succ []Var
	// delta numbers the buffer of values not yet propagated, in arrival
	// order (Solver.deltas), cons the constraint list (Solver.cons); 0:
	// none.
	delta int32
	cons  int32
	// parent is 1 + the variable this one's cycle was collapsed into
	// (cycles.go); 0: none, the variable stands for itself.
	parent int32
	queued bool
	sat    bool
}

// paged is a list that grows in pages of pageSize, so adding an item
// never copies the others.
type paged[T any] struct {
	pages [][]T
	n     int
}

const pageBits = 12
const pageSize = 1 << pageBits

// add appends a zero item and returns its index.
func (p *paged[T]) add() int {
	if p.n&(pageSize-1) == 0 {
		p.pages = append(p.pages, make([]T, pageSize))
	}
	p.n++
	return p.n - 1
}

// at returns item i.
func (p *paged[T]) at(i int32) *T { return &p.pages[i>>pageBits][i&(pageSize-1)] }

// newPaged returns a list whose item 0 is taken: the index 0 stands for
// none.
func newPaged[T any]() paged[T] {
	var p paged[T]
	p.add()
	return p
}

// New returns a solver whose constraints h interprets.
func New(h Handler, bound int) *Solver {
	return &Solver{Bound: bound, h: h, deltas: newPaged[[]Value](), cons: newPaged[[]Constraint](), nextSearch: firstSearch}
}

// NewVar returns a fresh variable with an empty set.
func (s *Solver) NewVar() Var {
	if s.solved != nil {
		return NoVar // read-only after Release
	}
	return Var(s.vars.add())
}

// Vars returns the number of variables.
func (s *Solver) Vars() int { return s.vars.n }

// st returns v's state.
func (s *Solver) st(v Var) *varState { return s.vars.at(int32(v)) }

// Add puts val into v's set.
func (s *Solver) Add(v Var, val Value) {
	if v < 0 || s.solved != nil {
		return
	}
	v = s.find(v)
	s.add(v, s.st(v), val)
}

// add is Add with v's state x at hand: propagation adds many values to
// one variable in a row.
func (s *Solver) add(v Var, x *varState, val Value) {
	if x.sat {
		return
	}
	p := x.pts
	i, found := slices.BinarySearch(p, val)
	if found {
		return
	}
	if len(p) >= s.Bound {
		// Saturated: the set is now {Unknown} for good; what it held was
		// already handed on, Unknown tells the rest.
		x.sat = true
		x.pts = []Value{Unknown}
		if len(p) == 0 || p[0] != Unknown {
			s.pend(x, Unknown)
			s.enqueue(v, x)
		}
		return
	}
	s.Stats.Adds++
	x.pts = slices.Insert(p, i, val)
	s.pend(x, val)
	s.enqueue(v, x)
}

// pend appends val to x's delta, starting it in a spare buffer.
func (s *Solver) pend(x *varState, val Value) {
	if x.delta == 0 {
		if n := len(s.spare); n > 0 {
			x.delta = s.spare[n-1]
			s.spare = s.spare[:n-1]
		} else {
			x.delta = int32(s.deltas.add())
		}
	}
	d := s.deltas.at(x.delta)
	*d = append(*d, val)
}

// consOf returns x's constraints.
func (s *Solver) consOf(x *varState) []Constraint { return *s.cons.at(x.cons) }

// Saturated reports whether v's set degraded to {Unknown} past the bound.
func (s *Solver) Saturated(v Var) bool {
	if v < 0 {
		return false
	}
	if sets := s.solved; sets != nil {
		return sets.sat[v/64]&(1<<(v%64)) != 0
	}
	return s.st(s.find(v)).sat
}

// enqueue queues v (whose state is x) unless it is queued.
func (s *Solver) enqueue(v Var, x *varState) {
	if !x.queued {
		x.queued = true
		s.queue = append(s.queue, v)
	}
}

// edgeScan is the longest successor list searched by scanning: a scan of
// 64 variables is cheaper than a lookup in the map of edges, which misses
// the cache on a bundle's millions of edges (three.js ×10: 10% of the
// solver's time at 16).
const edgeScan = 64

func edgeKey(src, dst Var) uint64 { return uint64(uint32(src))<<32 | uint64(uint32(dst)) }

// Edge makes dst's set include src's.
func (s *Solver) Edge(src, dst Var) {
	if src < 0 || dst < 0 || s.solved != nil {
		return
	}
	if src, dst = s.find(src), s.find(dst); src == dst {
		return
	}
	// Most variables have a few successors: a scan beats hashing; past
	// edgeScan the pairs go into a set.
	x := s.st(src)
	succ := x.succ
	if len(succ) < edgeScan {
		if slices.Contains(succ, dst) {
			return
		}
	} else {
		if len(succ) == edgeScan {
			for _, d := range succ {
				s.edges.add(edgeKey(src, d))
			}
		}
		if !s.edges.add(edgeKey(src, dst)) {
			return
		}
	}
	s.Stats.Edges++
	x.succ = append(succ, dst)
	if !s.started {
		return // Solve hands on everything added so far
	}
	y := s.st(dst)
	if y.sat {
		return
	}
	for _, val := range x.pts {
		s.add(dst, y, val)
	}
}

// Attach adds a constraint to v and hands it the values v already holds.
func (s *Solver) Attach(v Var, c Constraint) {
	if v < 0 {
		return
	}
	if s.h == nil {
		return // released: no more solving
	}
	v = s.find(v)
	x := s.st(v)
	if x.cons == 0 {
		x.cons = int32(s.cons.add())
	}
	cs := s.cons.at(x.cons)
	*cs = append(*cs, c)
	s.Stats.Constraints++
	if !s.started {
		return
	}
	for _, val := range x.pts {
		s.h.Handle(s, c, val)
	}
}

// Solve propagates until nothing changes (or Limit is reached).
func (s *Solver) Solve() {
	// Until the first Solve nothing was handed on: every value added is
	// still pending, so edges and constraints made before it see them all
	// when the queue runs.
	s.started = true
	for s.head < len(s.queue) {
		if s.Stats.Edges >= s.nextSearch {
			s.collapseCycles()
			s.nextSearch = 2 * s.Stats.Edges
		}
		v := s.queue[s.head]
		s.head++
		if s.head > 4096 && s.head*2 > len(s.queue) {
			s.queue = append(s.queue[:0], s.queue[s.head:]...)
			s.head = 0
		}
		x := s.st(v)
		if x.parent != 0 {
			continue // collapsed into another variable
		}
		x.queued = false
		di := x.delta
		d := *s.deltas.at(di)
		x.delta = 0
		s.Stats.Steps += len(d) * (1 + len(x.succ) + len(s.consOf(x)))
		if s.Limit > 0 {
			if s.Stats.Steps > s.Limit {
				s.Truncated = true
				s.queue, s.head = nil, 0
				return
			}
		}
		// Constraints may attach more constraints to v or add edges from
		// it while they run: index, do not range over a stale slice.
		for i := 0; i < len(s.consOf(x)); i++ {
			c := s.consOf(x)[i]
			for _, val := range d {
				s.h.Handle(s, c, val)
			}
		}
		for i := 0; i < len(x.succ); i++ {
			dst := s.find(x.succ[i])
			if dst == v {
				continue // in v's cycle, collapsed since the edge was made
			}
			y := s.st(dst)
			if y.sat {
				continue // takes nothing more (three.js ×10: 10 million values skipped)
			}
			for _, val := range d {
				s.add(dst, y, val)
			}
		}
		if di != 0 {
			if cap(d) > maxSpare {
				d = nil
			}
			*s.deltas.at(di) = d[:0]
			s.spare = append(s.spare, di)
		}
	}
}

// maxSpare is the capacity of the largest delta buffer kept for reuse.
const maxSpare = 4096

// solvedSets are the sets of every variable packed end to end: the set
// of v is vals[start[v]:start[v+1]].
type solvedSets struct {
	start []int32
	vals  []Value
	sat   []uint64 // bit v: v's set saturated
}

// Release freezes the solution: the sets are packed into one list and
// everything else (variables' edges, constraints, the queue) is dropped
// (three.js ×10: 17 MB kept of the 66 MB the variables and their sets
// took). Call it once no more
// constraints will come: the solver is read-only after it (NewVar
// returns NoVar; Add, Edge and Attach do nothing).
func (s *Solver) Release() {
	n := s.vars.n
	total := 0
	for i := 0; i < n; i++ {
		total += len(s.st(s.find(Var(i))).pts)
	}
	sets := &solvedSets{start: make([]int32, n+1), vals: make([]Value, 0, total), sat: make([]uint64, (n+63)/64)}
	for i := 0; i < n; i++ {
		x := s.st(s.find(Var(i)))
		sets.vals = append(sets.vals, x.pts...)
		sets.start[i+1] = int32(len(sets.vals))
		if x.sat {
			sets.sat[i/64] |= 1 << (i % 64)
		}
	}
	s.solved = sets
	s.vars.pages = nil
	s.edges, s.queue, s.h = edgeSet{}, nil, nil
	s.deltas, s.spare, s.cons = paged[[]Value]{}, nil, paged[[]Constraint]{}
}

// Values returns v's set, sorted (shared: do not modify).
func (s *Solver) Values(v Var) []Value {
	if v < 0 {
		return nil
	}
	if sets := s.solved; sets != nil {
		a, b := sets.start[v], sets.start[v+1]
		if a == b {
			return nil
		}
		return sets.vals[a:b:b]
	}
	return s.st(s.find(v)).pts
}

// edgeSet is a set of edge keys (edgeKey: never 0, an edge has two
// ends), open addressing with linear probing: the edges of the
// variables with many successors, looked up on every Edge call to them.
type edgeSet struct {
	slots []uint64 // 0: empty
	n     int
}

// add puts k into the set and reports whether it was new.
func (e *edgeSet) add(k uint64) bool {
	if 2*(e.n+1) > len(e.slots) {
		e.grow()
	}
	mask := uint64(len(e.slots) - 1)
	for i := edgeHash(k) & mask; ; i = (i + 1) & mask {
		switch e.slots[i] {
		case k:
			return false
		case 0:
			e.slots[i] = k
			e.n++
			return true
		}
	}
}

// grow doubles the table (it starts at 1024 slots) and puts the keys
// back.
func (e *edgeSet) grow() {
	old := e.slots
	e.slots = make([]uint64, max(1024, 2*len(old)))
	mask := uint64(len(e.slots) - 1)
	for _, k := range old {
		if k == 0 {
			continue
		}
		i := edgeHash(k) & mask
		for e.slots[i] != 0 {
			i = (i + 1) & mask
		}
		e.slots[i] = k
	}
}

// edgeHash mixes an edge key (Fibonacci hashing, the high half folded
// into the low bits the table indexes by).
func edgeHash(k uint64) uint64 {
	h := k * 0x9E3779B97F4A7C15
	return h ^ h>>32
}
