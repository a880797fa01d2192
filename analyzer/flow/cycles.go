package flow

import "slices"

// Cycles of copy edges hold equal sets once solved: every variable of a
// cycle includes every other, and propagating around the cycle value by
// value repeats the same work (three.js ×10: 7% of the variables, in
// 3,500 cycles, hold a third of the values and make 63% of what is
// handed to edges and constraints).
// Solve finds the strongly connected components of the edge graph from
// time to time and collapses each into one variable, its
// representative: the others forward to it (varState.parent), and their
// edges and constraints become its own. On three.js ×10 that cuts the
// propagation steps from 27.3 M to 18.3 M; the wall time stays the same,
// the searches and find costing about what they save, and the steps are
// what Limit bounds.
//
// Edges appear while solving (a field load gains an edge for each object
// that reaches it), so one search before solving finds few cycles
// (three.js ×10: 100 of 3,500). Solve searches again each time the number
// of edges has doubled since the last search: linear work each time, a
// logarithmic number of times.

// firstSearch is the number of edges below which Solve does not search
// (Solver.nextSearch starts at it): a small program's cycles cost less to
// propagate around than to find.
const firstSearch = 1 << 14

// find returns the representative of v: v itself unless v's cycle was
// collapsed into another variable. It shortens the path it walked.
func (s *Solver) find(v Var) Var {
	x := s.st(v)
	if x.parent == 0 {
		return v
	}
	root := Var(x.parent - 1)
	for {
		p := s.st(root).parent
		if p == 0 {
			break
		}
		root = Var(p - 1)
	}
	for v != root {
		x := s.st(v)
		next := Var(x.parent - 1)
		x.parent = int32(root) + 1
		v = next
	}
	return root
}

// collapseCycles finds the cycles of the edge graph between
// representatives (Tarjan's algorithm, without recursion), then
// collapses each.
func (s *Solver) collapseCycles() {
	n := s.vars.n
	const unvisited = -1
	index := make([]int32, n)
	low := make([]int32, n)
	for i := range index {
		index[i] = unvisited
	}
	onStack := make([]bool, n)
	var stack, members []Var
	var cycles [][]Var
	type frame struct {
		v Var
		i int32
	}
	var call []frame
	next := int32(0)
	visit := func(v Var) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		call = append(call, frame{v: v})
	}
	for root := 0; root < n; root++ {
		if index[root] != unvisited || s.st(Var(root)).parent != 0 {
			continue
		}
		visit(Var(root))
		for len(call) > 0 {
			f := &call[len(call)-1]
			x := s.st(f.v)
			if int(f.i) < len(x.succ) {
				w := s.find(x.succ[f.i])
				f.i++
				switch {
				case w == f.v:
				case index[w] == unvisited:
					visit(w)
				case onStack[w] && index[w] < low[f.v]:
					low[f.v] = index[w]
				}
				continue
			}
			v := f.v
			call = call[:len(call)-1]
			if len(call) > 0 {
				if p := call[len(call)-1].v; low[v] < low[p] {
					low[p] = low[v]
				}
			}
			if low[v] != index[v] {
				continue
			}
			members = members[:0]
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				members = append(members, w)
				if w == v {
					break
				}
			}
			if len(members) > 1 {
				cycles = append(cycles, slices.Clone(members))
			}
		}
	}
	// Collapsing runs handlers, which make variables: not while the
	// search's arrays are sized by their number.
	for _, c := range cycles {
		s.collapse(c)
	}
}

// collapse merges the variables of one cycle into the first of them (in
// number order, so the result does not depend on the search).
//
// Each value goes to each edge and constraint exactly once, as without
// collapsing: a member's edges and constraints were handed its set minus
// its pending values, so they are handed now what the merged set adds to
// that, and the merged variable starts with nothing pending. Values that
// arrive later reach every member's edges and constraints through the
// representative.
func (s *Solver) collapse(members []Var) {
	slices.Sort(members)
	r := members[0]
	rx := s.st(r)
	s.Stats.Cycles++
	s.Stats.Collapsed += len(members) - 1

	// The merged set.
	var union []Value
	sat := false
	for _, m := range members {
		x := s.st(m)
		sat = sat || x.sat
		union = append(union, x.pts...)
	}
	slices.Sort(union)
	union = slices.Compact(union)
	if len(union) > s.Bound {
		sat = true
	}
	if sat {
		union = []Value{Unknown}
	}

	// What each member's edges and constraints still need, taken before
	// the members' state is merged.
	type owed struct {
		succ []Var
		cons []Constraint
		vals []Value
	}
	debts := make([]owed, len(members))
	var succ []Var
	var cons []Constraint
	for i, m := range members {
		x := s.st(m)
		var pending []Value
		if x.delta != 0 {
			d := s.deltas.at(x.delta)
			pending = slices.Clone(*d)
			*d = (*d)[:0]
			s.spare = append(s.spare, x.delta)
			x.delta = 0
		}
		debts[i] = owed{succ: x.succ, cons: s.consOf(x), vals: owedValues(x, pending, union, sat)}
		succ = append(succ, x.succ...)
		cons = append(cons, s.consOf(x)...)
		if m != r {
			// Its place in the queue, if any, is skipped.
			x.queued = false
			x.parent = int32(r) + 1
			x.pts, x.succ = nil, nil
			if x.cons != 0 {
				*s.cons.at(x.cons) = nil
				x.cons = 0
			}
		}
	}

	// The representative: the merged set, the successors outside the
	// cycle (each once), every constraint.
	rx.pts, rx.sat = union, sat
	out := succ[:0:0]
	for _, d := range succ {
		if d = s.find(d); !slices.Contains(members, d) {
			out = append(out, d)
		}
	}
	slices.Sort(out)
	rx.succ = slices.Compact(out)
	if len(rx.succ) >= edgeScan {
		for _, d := range rx.succ {
			s.edges.add(edgeKey(r, d))
		}
	}
	if len(cons) > 0 {
		if rx.cons == 0 {
			rx.cons = int32(s.cons.add())
		}
		*s.cons.at(rx.cons) = cons
	}

	// Pay what is owed. Handlers may add values, edges and constraints:
	// they reach the representative, which hands them on as usual.
	for _, d := range debts {
		if len(d.vals) == 0 {
			continue
		}
		s.Stats.Steps += len(d.vals) * (len(d.succ) + len(d.cons))
		for _, c := range d.cons {
			for _, val := range d.vals {
				s.h.Handle(s, c, val)
			}
		}
		for _, dst := range d.succ {
			if dst = s.find(dst); dst == r {
				continue
			}
			y := s.st(dst)
			for _, val := range d.vals {
				if y.sat {
					break
				}
				s.add(dst, y, val)
			}
		}
	}
}

// owedValues returns what the edges and constraints of a member (state x,
// pending values not yet handed on) are owed once its cycle holds union
// (sat: saturated).
func owedValues(x *varState, pending, union []Value, sat bool) []Value {
	if sat {
		// A set saturating hands on what was pending and Unknown; the
		// values past the bound are what Unknown stands for.
		if !x.sat && !slices.Contains(x.pts, Unknown) {
			pending = append(pending, Unknown)
		}
		return pending
	}
	// Pending values and those the member never held; both lists are
	// sorted after this.
	owed := pending
	for _, val := range union {
		if _, found := slices.BinarySearch(x.pts, val); !found {
			owed = append(owed, val)
		}
	}
	return owed
}
