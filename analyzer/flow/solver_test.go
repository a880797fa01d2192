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
