package checker

import (
	"fmt"
	"runtime"
	"sync/atomic"
)

// cores is a run's budget of idle cores. Each file worker counts as busy on
// one core while it analyzes a file; a stage of that file that can run
// beside another (the map beside the parse, parse pieces, scopes beside
// the first names walk, rules beside rules) takes one more core only when
// one is idle, and otherwise runs in turn on the worker's own. So one big
// file uses every core, and many files in flight do not oversubscribe
// them (which only costs memory and cache).
type cores struct {
	idle atomic.Int64
}

func newCores() *cores {
	c := &cores{}
	c.idle.Store(int64(runtime.GOMAXPROCS(0)))
	return c
}

// busy and done bracket a file worker's work on one file.
func (c *cores) busy() {
	if c != nil {
		c.idle.Add(-1)
	}
}

func (c *cores) done() {
	if c != nil {
		c.idle.Add(1)
	}
}

// take takes up to n idle cores and returns how many it got; give them
// back with give.
func (c *cores) take(n int) int {
	if c == nil {
		return 0
	}
	got := 0
	for got < n {
		v := c.idle.Load()
		if v <= 0 {
			break
		}
		if c.idle.CompareAndSwap(v, v-1) {
			got++
		}
	}
	return got
}

func (c *cores) give(n int) {
	if c != nil && n > 0 {
		c.idle.Add(int64(n))
	}
}

// background runs f on an idle core of c, or right away on this one when
// none is idle, and returns a function that waits for its result.
func background[T any](c *cores, f func() T) func() (T, error) {
	if c.take(1) == 0 {
		v, err := protect(f)
		return func() (T, error) { return v, err }
	}
	return spawn(func() T {
		defer c.give(1)
		return f()
	})
}

// spawn runs f on a goroutine of its own and returns a function that waits
// for its result.
func spawn[T any](f func() T) func() (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := protect(f)
		done <- result{v, err}
	}()
	return func() (T, error) {
		r := <-done
		return r.v, r.err
	}
}

// protect calls f, turning a panic into an error: an internal error on a
// hostile input must not take down the run.
func protect[T any](f func() T) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error while analyzing: %v", p)
		}
	}()
	return f(), nil
}
