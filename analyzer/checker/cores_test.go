package checker

import (
	"strings"
	"testing"
)

func TestCoresBudget(t *testing.T) {
	c := &cores{}
	c.idle.Store(2)
	c.busy() // a file worker starts
	if got := c.take(3); got != 1 {
		t.Fatalf("take(3) with one idle core = %d, want 1", got)
	}
	if got := c.take(1); got != 0 {
		t.Fatalf("take(1) with no idle core = %d, want 0", got)
	}
	// No idle core: background runs f before it returns.
	ran := false
	wait := background(c, func() int { ran = true; return 7 })
	if !ran {
		t.Fatal("background with no idle core did not run f in turn")
	}
	if v, err := wait(); v != 7 || err != nil {
		t.Fatalf("wait() = %d, %v", v, err)
	}
	c.give(1)
	// An idle core: f runs on it, and gives it back when done.
	wait = background(c, func() int { return 8 })
	if v, err := wait(); v != 8 || err != nil {
		t.Fatalf("wait() = %d, %v", v, err)
	}
	c.done()
	if got := c.idle.Load(); got != 2 {
		t.Fatalf("idle cores after everything finished = %d, want 2", got)
	}
	// A panic is an error, and the core comes back.
	wait = background(c, func() int { panic("boom") })
	if _, err := wait(); err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panic in background: err = %v", err)
	}
	if got := c.idle.Load(); got != 2 {
		t.Fatalf("idle cores after a panic = %d, want 2", got)
	}
	// No budget at all: everything in turn.
	var none *cores
	if none.take(1) != 0 {
		t.Fatal("nil budget gave a core")
	}
	if _, err := background(none, func() int { panic("inline") })(); err == nil {
		t.Fatal("panic in an inline background: no error")
	}
}
