package flow

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// fieldHandler is a field-sensitive load and store in miniature: Kind 1
// loads (Dst ⊇ the field Key of each value), Kind 2 stores (the field Key
// of each value ⊇ the variable Aux). Fields are variables made on first
// use, so edges appear while solving, as in a bundle. It counts how often
// each constraint is handed each value.
type fieldHandler struct {
	fields  map[[2]int32]Var
	handed  map[[2]int32]int // {constraint id (Aux of a load, Dst of a store), value}
	newVars int
}

func (h *fieldHandler) field(s *Solver, v Value, key int32) Var {
	k := [2]int32{int32(v), key}
	x, ok := h.fields[k]
	if !ok {
		x = s.NewVar()
		h.newVars++
		h.fields[k] = x
	}
	return x
}

func (h *fieldHandler) Handle(s *Solver, c Constraint, v Value) {
	id := c.Aux
	if c.Kind == 2 {
		id = int32(c.Dst)
	}
	h.handed[[2]int32{id, int32(v)}]++
	switch c.Kind {
	case 1:
		s.Edge(h.field(s, v, c.Key), c.Dst)
	case 2:
		s.Edge(Var(c.Aux), h.field(s, v, c.Key))
	}
}

// randomProgram builds the same random constraint graph into s: copy
// edges dense enough to make cycles, values, loads and stores.
func randomProgram(s *Solver, seed uint64, vars int) {
	r := rand.New(rand.NewPCG(seed, 1))
	for i := 0; i < vars; i++ {
		s.NewVar()
	}
	for i := 0; i < 2*vars; i++ {
		s.Edge(Var(r.IntN(vars)), Var(r.IntN(vars)))
	}
	for i := 0; i < vars/3; i++ {
		s.Add(Var(r.IntN(vars)), Value(1+r.IntN(vars/4)))
	}
	for i := 0; i < vars/4; i++ {
		key := int32(r.IntN(3))
		if r.IntN(2) == 0 {
			// Each load has its own id (Aux), each store its own Dst.
			s.Attach(Var(r.IntN(vars)), Constraint{Kind: 1, Key: key, Dst: Var(r.IntN(vars)), Aux: int32(1000000 + i)})
		} else {
			s.Attach(Var(r.IntN(vars)), Constraint{Kind: 2, Key: key, Dst: Var(2000000 + i), Aux: int32(r.IntN(vars))})
		}
	}
}

// Collapsing cycles changes how the sets are computed, not what they
// are: on random programs whose sets stay under the bound, every variable
// (also those collapsed into another) has the set it has without
// collapsing, each constraint is handed each value once, and less work
// is done.
func TestCollapseKeepsTheSolution(t *testing.T) {
	for seed := uint64(0); seed < 60; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			vars := 50 + int(seed)*7
			plain := &fieldHandler{fields: map[[2]int32]Var{}, handed: map[[2]int32]int{}}
			ps := New(plain, math.MaxInt32)
			ps.nextSearch = math.MaxInt // never
			randomProgram(ps, seed, vars)
			ps.Solve()

			coll := &fieldHandler{fields: map[[2]int32]Var{}, handed: map[[2]int32]int{}}
			cs := New(coll, math.MaxInt32)
			cs.nextSearch = 0 // at once, then at each doubling
			randomProgram(cs, seed, vars)
			cs.Solve()

			if cs.Stats.Collapsed == 0 {
				t.Fatalf("no cycle collapsed in %d variables and %d edges", vars, cs.Stats.Edges)
			}
			if ps.Vars() != cs.Vars() {
				t.Fatalf("%d variables, %d with collapsing", ps.Vars(), cs.Vars())
			}
			// Fields are made in an order that depends on propagation:
			// compare them by their key, the others by number.
			same := func(a, b Var) {
				t.Helper()
				if got, want := cs.Values(b), ps.Values(a); !slices.Equal(got, want) {
					t.Errorf("var %d = %v, want %v", b, got, want)
				}
			}
			for i := 0; i < vars; i++ {
				same(Var(i), Var(i))
			}
			for k, a := range plain.fields {
				same(a, coll.fields[k])
			}
			for k, n := range coll.handed {
				if n != 1 {
					t.Errorf("constraint %d handed value %d %d times", k[0], k[1], n)
				}
			}
			if len(coll.handed) != len(plain.handed) {
				t.Errorf("%d constraint-value pairs handed, %d without collapsing", len(coll.handed), len(plain.handed))
			}
			if cs.Stats.Steps > ps.Stats.Steps {
				t.Errorf("%d steps, %d without collapsing", cs.Stats.Steps, ps.Stats.Steps)
			}
			cs.Release()
			for i := 0; i < vars; i++ {
				if got, want := cs.Values(Var(i)), ps.Values(Var(i)); !slices.Equal(got, want) {
					t.Errorf("released var %d = %v, want %v", i, got, want)
				}
			}
		})
	}
}

// A cycle that holds more than the bound is saturated as a whole, and
// what it feeds hears Unknown.
func TestCollapseSaturates(t *testing.T) {
	s := New(loadHandler{}, 4)
	s.nextSearch = 0
	a, b, c, out := s.NewVar(), s.NewVar(), s.NewVar(), s.NewVar()
	s.Edge(a, b)
	s.Edge(b, c)
	s.Edge(c, a)
	s.Edge(b, out)
	for v := Value(1); v <= 3; v++ {
		s.Add(a, v)
		s.Add(c, v+10)
	}
	s.Solve()
	if s.Stats.Collapsed != 2 {
		t.Errorf("collapsed %d variables, want 2", s.Stats.Collapsed)
	}
	for _, v := range []Var{a, b, c} {
		if !s.Saturated(v) || !slices.Equal(s.Values(v), []Value{Unknown}) {
			t.Errorf("var %d = %v (saturated %v), want {Unknown}", v, s.Values(v), s.Saturated(v))
		}
	}
	if got := s.Values(out); !slices.Equal(got, []Value{Unknown}) {
		t.Errorf("the cycle's successor = %v, want {Unknown}", got)
	}
}
