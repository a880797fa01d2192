package flow

import (
	"slices"
	"testing"
)

// loadHandler interprets Kind 1 as "Dst ⊇ the variable numbered by the
// value" (a field load in miniature).
type loadHandler struct{ fields map[Value]Var }

func (h loadHandler) Handle(s *Solver, c Constraint, v Value) {
	if x, ok := h.fields[v]; ok {
		s.Edge(x, c.Dst)
	}
}

func TestSolverPropagatesThroughCyclesAndConstraints(t *testing.T) {
	h := loadHandler{fields: map[Value]Var{}}
	s := New(h, 8)
	a, b, c, d, f := s.NewVar(), s.NewVar(), s.NewVar(), s.NewVar(), s.NewVar()
	h.fields[7] = f
	s.Add(f, 42)
	s.Edge(a, b)
	s.Edge(b, c)
	s.Edge(c, a) // a cycle
	s.Attach(c, Constraint{Kind: 1, Dst: d})
	s.Add(a, 7)
	s.Solve()
	for _, v := range []Var{a, b, c} {
		if got := s.Values(v); !slices.Equal(got, []Value{7}) {
			t.Errorf("var %d = %v, want [7]", v, got)
		}
	}
	if got := s.Values(d); !slices.Equal(got, []Value{42}) {
		t.Errorf("loaded %v, want [42]", got)
	}
	// After Solve, new edges and values propagate at once.
	e := s.NewVar()
	s.Edge(d, e)
	s.Add(a, 3)
	s.Solve()
	if got := s.Values(e); !slices.Equal(got, []Value{42}) {
		t.Errorf("late edge gave %v", got)
	}
	if got := s.Values(b); !slices.Equal(got, []Value{3, 7}) {
		t.Errorf("late value gave %v", got)
	}
}

func TestSolverSaturatesToUnknown(t *testing.T) {
	s := New(loadHandler{}, 4)
	a, b := s.NewVar(), s.NewVar()
	s.Edge(a, b)
	for v := Value(1); v <= 10; v++ {
		s.Add(a, v)
	}
	s.Solve()
	for _, v := range []Var{a, b} {
		if !s.Saturated(v) || !slices.Equal(s.Values(v), []Value{Unknown}) {
			t.Errorf("var %d = %v (saturated %v), want {Unknown}", v, s.Values(v), s.Saturated(v))
		}
	}
	s.Add(a, 99)
	if !slices.Equal(s.Values(a), []Value{Unknown}) {
		t.Errorf("a saturated set took a value: %v", s.Values(a))
	}
}

func TestSolverLimit(t *testing.T) {
	s := New(loadHandler{}, 64)
	s.Limit = 10
	prev := s.NewVar()
	for i := 0; i < 100; i++ {
		x := s.NewVar()
		s.Edge(prev, x)
		prev = x
	}
	s.Add(0, 1)
	s.Solve()
	if !s.Truncated {
		t.Fatal("a chain of 100 edges within 10 steps was not truncated")
	}
}

// A variable with more successors than edgeScan keeps its edges in the
// edge set: a repeated edge is still one edge, and every successor gets
// the values, however many variables there are (more than one page).
func TestSolverManySuccessors(t *testing.T) {
	s := New(loadHandler{}, 8)
	src := s.NewVar()
	var dsts []Var
	for i := 0; i < 3*pageSize; i++ {
		dsts = append(dsts, s.NewVar())
	}
	for round := 0; round < 2; round++ {
		for _, d := range dsts {
			s.Edge(src, d)
		}
	}
	if s.Stats.Edges != len(dsts) {
		t.Errorf("%d edges for %d successors", s.Stats.Edges, len(dsts))
	}
	s.Add(src, 5)
	s.Solve()
	for _, d := range dsts {
		if got := s.Values(d); !slices.Equal(got, []Value{5}) {
			t.Fatalf("successor %d = %v, want [5]", d, got)
		}
	}
}

// Release keeps every set and whether it saturated, and makes the solver
// read-only.
func TestSolverRelease(t *testing.T) {
	s := New(loadHandler{}, 2)
	a, b, c, empty := s.NewVar(), s.NewVar(), s.NewVar(), s.NewVar()
	s.Edge(a, b)
	s.Add(a, 4)
	s.Add(a, 2)
	for v := Value(1); v <= 5; v++ {
		s.Add(c, v)
	}
	s.Solve()
	s.Release()
	for _, w := range []struct {
		v   Var
		set []Value
		sat bool
	}{{a, []Value{2, 4}, false}, {b, []Value{2, 4}, false}, {c, []Value{Unknown}, true}, {empty, nil, false}} {
		if got := s.Values(w.v); !slices.Equal(got, w.set) || s.Saturated(w.v) != w.sat {
			t.Errorf("var %d = %v (saturated %v), want %v (%v)", w.v, got, s.Saturated(w.v), w.set, w.sat)
		}
	}
	if got := s.Values(empty); got != nil {
		t.Errorf("an empty set is %#v, want nil", got)
	}
	if x := s.NewVar(); x != NoVar {
		t.Errorf("NewVar after Release = %d, want NoVar", x)
	}
	s.Add(a, 9)
	s.Edge(c, a)
	if got := s.Values(a); !slices.Equal(got, []Value{2, 4}) {
		t.Errorf("a released solver changed a set: %v", got)
	}
	if s.Vars() != 4 {
		t.Errorf("Vars() = %d after Release, want 4", s.Vars())
	}
}
