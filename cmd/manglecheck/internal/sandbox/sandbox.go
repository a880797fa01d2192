// Package sandbox runs bundles in goja's JavaScript runtime, in a minimal
// browser or Node.js environment, to find out what a static reading
// cannot: whether the bundle's startup throws (manglecheck smoke) and
// which flagged name reads run and what they produce (check --confirm).
//
// Scripts get no host access: goja has no file system, network, process
// or environment access of its own, and the environment (prelude.js)
// adds none — network APIs fail with a clear error, storage is in memory,
// timers run on a virtual clock, Date and Math.random are deterministic.
// Every run gets a fresh runtime, and hard limits make a hang impossible:
// a wall-clock budget enforced by goja's Interrupt, a call-depth limit, a
// heap-growth guard, and caps on timer callbacks and virtual time. A run
// that is stuck inside a built-in function (where Interrupt cannot reach)
// is abandoned after a grace period and reported as timed out.
package sandbox

import (
	"context"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/dop251/goja"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/parser"

	"github.com/manglecheck/manglecheck/analyzer/esm"
	"github.com/manglecheck/manglecheck/analyzer/parse"
)

//go:embed prelude.js
var preludeJS string

const preludeName = "manglecheck-prelude"

// Env is the environment a bundle runs in.
type Env string

// Environments. Auto picks one from the bundle's text (see DetectEnv).
const (
	Auto    Env = ""
	Browser Env = "browser"
	Node    Env = "node"
)

// Limits bound one run. Zero fields take the defaults.
type Limits struct {
	// Timeout is the wall-clock budget of the run (default 5 s).
	Timeout time.Duration
	// MaxMemory is how far the Go heap may grow during the run, in bytes
	// (default 512 MiB). It is approximate: the heap is sampled every few
	// milliseconds and is the whole process's, so runs are not made
	// concurrently.
	MaxMemory int64
	// MaxCallDepth is the deepest JavaScript call stack (default 3,000;
	// V8 allows about 10,000 simple frames). goja unwinds an overflow
	// through nested built-in calls ([].map(f) inside f) in time quadratic
	// in the depth, where no interrupt reaches: 3,000 costs ~0.25 s on an
	// idle core, 10,000 ~3 s.
	MaxCallDepth int
	// MaxCallbacks is the number of timer and animation-frame callbacks
	// run after the top level before the run counts as started (default
	// 10,000).
	MaxCallbacks int
	// MaxVirtualTime is how far the virtual clock may advance (default
	// 60 s): a setInterval that never stops does not run forever.
	MaxVirtualTime time.Duration
}

// Defaults.
const (
	DefaultTimeout        = 5 * time.Second
	DefaultMaxMemory      = 512 << 20
	DefaultMaxCallDepth   = 3000
	DefaultMaxCallbacks   = 10000
	DefaultMaxVirtualTime = 60 * time.Second
)

func (l Limits) withDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxMemory <= 0 {
		l.MaxMemory = DefaultMaxMemory
	}
	if l.MaxCallDepth <= 0 {
		l.MaxCallDepth = DefaultMaxCallDepth
	}
	if l.MaxCallbacks <= 0 {
		l.MaxCallbacks = DefaultMaxCallbacks
	}
	if l.MaxVirtualTime <= 0 {
		l.MaxVirtualTime = DefaultMaxVirtualTime
	}
	return l
}

// Script is JavaScript compiled for a run.
type Script struct {
	// Name identifies the script in stack traces; it must be unique in a
	// run and contain no ':', '(' or ')'.
	Name    string
	program *goja.Program
	ast     *ast.Program
}

// Compile parses and compiles src for running. It checks nesting first
// (goja's recursive-descent parser overflows the Go stack, a fatal error,
// on deeply nested input), never lets goja's parser open the file a
// sourceMappingURL comment names, and turns a panic in goja into an error.
func Compile(name, src string) (s *Script, err error) {
	if _, _, err := esm.LowerWith(src, esm.Options{MaxNesting: parse.MaxNesting, MaxChain: parse.MaxChain}); errors.Is(err, esm.ErrTooDeep) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	defer func() {
		if v := recover(); v != nil {
			s, err = nil, fmt.Errorf("%s: goja failed to compile it: %v", name, v)
		}
	}()
	prg, err := goja.Parse(name, src, parser.WithDisableSourceMaps)
	if err != nil {
		return nil, err
	}
	// A 4 MB x=a+a+…+a passes the nesting check above and kept goja's
	// compiler busy for good (it is quadratic in such chains).
	if err := parse.CheckDepth(name, src, prg); err != nil {
		return nil, err
	}
	p, err := goja.CompileAST(prg, false)
	if err != nil {
		return nil, err
	}
	return &Script{Name: name, program: p, ast: prg}, nil
}

// Config is one run.
type Config struct {
	Env    Env // Browser or Node; Auto means Browser
	Limits Limits
	// Main is the script whose top level is the startup.
	Main *Script
	// MainName is Main's name when the environment is set up before
	// Main is compiled.
	MainName string
	// Require loads a module the Node environment's require() asks for,
	// given the specifier and the name of the requiring script: it
	// returns the module compiled as a CommonJS wrapper function
	// (exports, require, module, __filename, __dirname), or an error that
	// require throws. nil: every require throws.
	Require func(spec, from string) (*Script, error)
	// Probe, when set, is the name of the probe function instrumented
	// bundles call as Probe(id, value) (see Outcome.Probes). It is bound
	// lexically (not a property of the global object), and a call counts
	// only from a call site of ProbeSites: a bundle that finds the name
	// (in a function's source text) and calls it from anywhere else, or
	// from eval, is not believed (see Outcome.Forged).
	Probe string
	// ProbeSites are the probe's call sites: the script name and the
	// 1-based line and byte column of the call's opening parenthesis
	// (where goja puts a call frame), and the probe id each may pass.
	ProbeSites map[ProbeSite]int
	// Deadline, when set, is when the wall-clock budget ends (instead
	// of Limits.Timeout after the run starts): the budget of a sandbox
	// process covers compiling and an environment's second run too.
	Deadline time.Time
}

// ProbeSite is where an instrumented probe call is.
type ProbeSite struct {
	Script    string
	Line, Col int
}

// Outcome is what a run did.
type Outcome struct {
	// Errors are the uncaught exceptions and unhandled rejections, in the
	// order they happened (at most maxErrors).
	Errors []Error
	// Stop is why the run ended early (time, memory, stack, exit), or nil.
	Stop *Error
	// Console is what the bundle logged, capped.
	Console []string
	// Notes are the sandbox's limits the bundle ran into without throwing
	// (network use), deduplicated, in order.
	Notes []string
	// Probes are the values __mc_probe recorded, by probe id.
	Probes map[int]*Probe
	// Callbacks is the number of timer, animation-frame and event
	// callbacks run after the top level; Pending the timers left when the
	// run stopped at MaxCallbacks or MaxVirtualTime (0 when it went idle).
	Callbacks, Pending int
	// VirtualTime is where the virtual clock stopped.
	VirtualTime time.Duration
	// Abandoned is set when the run was stuck in a built-in function past
	// the grace period and was left behind.
	Abandoned bool
	// Globals are the names of the functions on the global object before
	// the bundle ran (Object, TypeError, HTMLElement…), when Probe is
	// set: a probed name equal to one of them is a built-in's.
	Globals map[string]bool
	// Forged counts probe calls that came from anywhere but an
	// instrumented call site; they are not recorded.
	Forged int
}

// Probe is what one __mc_probe call site saw.
type Probe struct {
	Hits int
	// Strings are the distinct string values, up to maxProbeValues, each
	// cut to 200 bytes; Other counts values that were not strings.
	Strings []string
	Other   int
}

// ErrorKind says what ended or interrupted the bundle's code.
type ErrorKind int

// Error kinds.
const (
	Uncaught      ErrorKind = iota + 1 // an exception nothing caught
	Rejection                          // a rejected promise with no handler
	Timeout                            // the wall-clock budget ran out
	Memory                             // the heap grew past MaxMemory
	StackOverflow                      // calls nested deeper than MaxCallDepth
	Exit                               // process.exit with a non-zero code
	Internal                           // the sandbox itself failed
)

// Error is an error a run saw.
type Error struct {
	Kind ErrorKind
	// Message is "TypeError: x is not a function" for errors, or says
	// what stopped the run.
	Message string
	// Frames is the stack, innermost first: goja's stack of the throw,
	// or the one recorded in the error's stack property when it was
	// created (which says where it went wrong when it was rethrown).
	Frames []RawFrame
	// Limit is set when the error is the sandbox's own (network
	// disabled, a module that is not available): a limit of the sandbox,
	// not a bug of the bundle.
	Limit bool
	// Phase says when it happened: "top level", "timer callback",
	// "DOMContentLoaded listener", "microtask", "promise".
	Phase string
}

// RawFrame is a stack frame as goja reports it.
type RawFrame struct {
	Func   string // "" for top-level code
	Script string // Script.Name; "" for built-in functions and eval code
	// Line and Col are 1-based; Col counts bytes (goja's unit).
	Line, Col int
}

const (
	maxErrors      = 10
	maxConsole     = 200
	maxProbeValues = 8
	maxFrames      = 32
	maxTimers      = 100000
	// grace is how long a run may overstay its budget inside a built-in
	// before it is abandoned.
	grace = time.Second
)

// epoch is the virtual clock's start, so Date is the same on every run.
var epoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// stop is the value a run is interrupted with.
type stop struct {
	kind ErrorKind
	msg  string
}

func (s *stop) Error() string { return s.msg }

// Run runs cfg.Main and the event loop after it, and reports what
// happened. It always returns within Limits.Timeout plus a grace period.
func Run(ctx context.Context, cfg Config) Outcome {
	return newRun(cfg).exec(ctx, cfg.Main, cfg.Deadline)
}

// newRun makes a runtime with the environment (the prelude) set up,
// before the bundle is compiled: the environment is the sandbox's cost,
// not the bundle's, and is not charged to its budget.
func newRun(cfg Config) *run {
	cfg.Limits = cfg.Limits.withDefaults()
	r := &run{cfg: cfg, limits: cfg.Limits, timers: map[int64]*timer{}, probes: map[int]*Probe{}, modules: map[string]goja.Value{}, seen: map[string]bool{}}
	r.initErr = r.init()
	return r
}

// exec runs main in a runtime newRun made, until deadline (zero: the
// budget from now). A run is executed once.
func (r *run) exec(ctx context.Context, main *Script, deadline time.Time) Outcome {
	if deadline.IsZero() {
		deadline = time.Now().Add(r.limits.Timeout)
	}
	r.cfg.Main, r.cfg.Deadline = main, deadline
	done := make(chan Outcome, 1)
	go func() { done <- r.main(ctx) }()
	hard := time.NewTimer(time.Until(deadline) + grace)
	defer hard.Stop()
	select {
	case out := <-done:
		return out
	case <-hard.C:
		// The run is inside a built-in that Interrupt cannot reach (a
		// catastrophic regular expression, say). Leave it behind; in a
		// sandbox process, the parent kills the process first.
		r.abandon()
		return Outcome{
			Stop:      &Error{Kind: Timeout, Message: fmt.Sprintf("timed out after %s (stuck in a built-in function; the run was abandoned)", r.limits.Timeout)},
			Abandoned: true,
		}
	}
}

// run is the state of one run. Everything but the interrupt and the
// abandoned flag is touched only by the goroutine running the VM.
type run struct {
	cfg    Config
	limits Limits
	vm     *goja.Runtime
	env    goja.Value // the prelude's result object

	mu        sync.Mutex
	abandoned bool
	// deadline is when the wall-clock budget ends; overMemory is set by
	// the heap guard. The loop checks both between callbacks, so an
	// interrupt cleared in between is not lost.
	deadline   time.Time
	overMemory atomic.Bool

	now       int64 // virtual milliseconds
	seq       int64
	nextID    int64
	timers    map[int64]*timer
	queue     timerHeap
	callbacks int

	rejections []*goja.Promise
	out        Outcome
	stopped    *Error
	probes     map[int]*Probe
	modules    map[string]goja.Value
	seen       map[string]bool // notes and errors already recorded
	initErr    error
	describe   goja.Callable
	limitError goja.Callable
}

func (r *run) abandon() {
	r.mu.Lock()
	r.abandoned = true
	r.mu.Unlock()
	if vm := r.vmRef(); vm != nil {
		vm.Interrupt(&stop{Timeout, "abandoned"})
	}
}

func (r *run) isAbandoned() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.abandoned
}

func (r *run) vmRef() *goja.Runtime {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.vm
}

// init creates the VM and runs the prelude.
func (r *run) init() (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("the sandbox failed: %v", v)
		}
	}()
	vm := goja.New()
	r.mu.Lock()
	r.vm = vm
	r.mu.Unlock()
	vm.SetMaxCallStackSize(r.limits.MaxCallDepth)
	vm.SetTimeSource(func() time.Time { return epoch.Add(time.Duration(r.now) * time.Millisecond) })
	rng := rand.New(rand.NewPCG(1, 2))
	vm.SetRandSource(rng.Float64)
	vm.SetPromiseRejectionTracker(r.track)
	return r.setup()
}

// main is the run, on its own goroutine.
func (r *run) main(ctx context.Context) (out Outcome) {
	defer func() {
		if v := recover(); v != nil {
			// A bug in the sandbox (or in goja) must not take the process
			// down: it is an error of this run.
			out = r.finish()
			out.Stop = &Error{Kind: Internal, Message: fmt.Sprintf("the sandbox failed: %v", v)}
		}
	}()
	if r.initErr != nil {
		r.stopped = &Error{Kind: Internal, Message: "the sandbox environment failed to start: " + r.initErr.Error()}
		return r.finish()
	}
	vm := r.vm
	r.deadline = r.cfg.Deadline
	stopGuards := r.guard(ctx, vm)
	defer stopGuards()

	if r.cfg.Main == nil {
		return r.finish()
	}
	_, err := vm.RunProgram(r.cfg.Main.program)
	r.after(err, "top level")
	if !r.limited() && r.env != nil {
		if start, ok := goja.AssertFunction(r.env.(*goja.Object).Get("startup")); ok {
			_, err := start(goja.Undefined())
			r.after(err, "page load")
		}
	}
	r.loop(ctx)
	return r.finish()
}

// guard starts the watchdogs: the wall-clock budget and the heap guard.
// Both interrupt the VM; the returned function stops them.
func (r *run) guard(ctx context.Context, vm *goja.Runtime) func() {
	deadline := time.AfterFunc(time.Until(r.deadline), func() {
		vm.Interrupt(&stop{Timeout, fmt.Sprintf("timed out after %s", r.limits.Timeout)})
	})
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		heap := func() int64 {
			metrics.Read(sample)
			if sample[0].Value.Kind() != metrics.KindUint64 {
				return 0
			}
			return int64(sample[0].Value.Uint64())
		}
		base := heap()
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				vm.Interrupt(&stop{Timeout, "canceled"})
				return
			case <-tick.C:
				// The sample counts garbage not yet collected too, which
				// the collector keeps under the live heap's size: the
				// limit is on at most twice the live memory. Collecting
				// first to judge only live memory was tried: a forced
				// collection of a heap that doubles every few
				// milliseconds (s += s) let it reach 4 GB first.
				if heap()-base > r.limits.MaxMemory {
					r.overMemory.Store(true)
					vm.Interrupt(r.memoryStop())
					return
				}
			}
		}
	}()
	return func() {
		deadline.Stop()
		close(quit)
		wg.Wait()
	}
}

func (r *run) memoryStop() *stop {
	return &stop{Memory, fmt.Sprintf("memory limit exceeded (the heap grew by more than %s; --max-memory)", mib(r.limits.MaxMemory))}
}

// limited stops the run when a limit was hit while no JavaScript was
// running to be interrupted.
func (r *run) limited() bool {
	if r.stopped != nil {
		return true
	}
	switch {
	case r.isAbandoned():
		r.stopped = &Error{Kind: Timeout, Message: fmt.Sprintf("timed out after %s", r.limits.Timeout)}
	case r.overMemory.Load():
		s := r.memoryStop()
		r.stopped = &Error{Kind: s.kind, Message: s.msg}
	case time.Now().After(r.deadline):
		r.stopped = &Error{Kind: Timeout, Message: fmt.Sprintf("timed out after %s", r.limits.Timeout)}
	}
	return r.stopped != nil
}

func mib(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// setup runs the prelude with the host functions.
func (r *run) setup() error {
	vm := r.vm
	prelude, err := Compile(preludeName, preludeJS)
	if err != nil {
		return err
	}
	fnv, err := vm.RunProgram(prelude.program)
	if err != nil {
		return err
	}
	fn, ok := goja.AssertFunction(fnv)
	if !ok {
		return fmt.Errorf("prelude is not a function")
	}
	env := r.cfg.Env
	if env == Auto {
		env = Browser
	}
	main := "bundle.js"
	if r.cfg.Main != nil {
		main = r.cfg.Main.Name
	} else if r.cfg.MainName != "" {
		main = r.cfg.MainName
	}
	res, err := fn(goja.Undefined(), r.host(), vm.ToValue(string(env)), vm.ToValue(main))
	if err != nil {
		return err
	}
	obj, ok := res.(*goja.Object)
	if !ok {
		return fmt.Errorf("prelude returned no object")
	}
	r.env = obj
	r.describe, _ = goja.AssertFunction(obj.Get("describe"))
	r.limitError, _ = goja.AssertFunction(obj.Get("limitError"))
	if r.cfg.Probe != "" {
		g := vm.GlobalObject()
		r.out.Globals = map[string]bool{}
		for _, k := range g.GetOwnPropertyNames() {
			if _, ok := goja.AssertFunction(g.Get(k)); ok {
				r.out.Globals[k] = true
			}
		}
		// A lexical binding of a script of its own: not a property of the
		// global object, so Object.getOwnPropertyNames(globalThis) does not
		// list it; the bundle can only learn the name from its own
		// instrumented text, and the call-site check defeats that.
		tmp := "__mc_tmp_" + r.cfg.Probe
		if err := g.Set(tmp, r.probe); err != nil {
			return err
		}
		if _, err := vm.RunScript("manglecheck-probe", "const "+r.cfg.Probe+" = globalThis."+tmp+"; delete globalThis."+tmp+";"); err != nil {
			return err
		}
	}
	return nil
}

// host is the object of Go functions the prelude gets. The bundle never
// sees it: the prelude keeps it in a closure.
func (r *run) host() *goja.Object {
	vm := r.vm
	h := vm.NewObject()
	set := func(name string, fn func(goja.FunctionCall) goja.Value) {
		_ = h.Set(name, fn)
	}
	_ = h.Set("maxBytes", r.limits.MaxMemory)
	set("timer", r.hostTimer)
	set("clear", func(c goja.FunctionCall) goja.Value {
		if t := r.timers[c.Argument(0).ToInteger()]; t != nil {
			t.cleared = true
			delete(r.timers, t.id)
		}
		return goja.Undefined()
	})
	set("ref", func(c goja.FunctionCall) goja.Value {
		if t := r.timers[c.Argument(0).ToInteger()]; t != nil {
			t.ref = c.Argument(1).ToBoolean()
		}
		return goja.Undefined()
	})
	set("now", func(goja.FunctionCall) goja.Value { return vm.ToValue(r.now) })
	set("outOfMemory", func(goja.FunctionCall) goja.Value {
		r.overMemory.Store(true)
		vm.Interrupt(r.memoryStop())
		return goja.Undefined()
	})
	set("log", func(c goja.FunctionCall) goja.Value {
		if len(r.out.Console) < maxConsole {
			r.out.Console = append(r.out.Console, c.Argument(0).String()+": "+cut(c.Argument(1).String(), 500))
		}
		return goja.Undefined()
	})
	set("uncaught", r.hostUncaught)
	set("note", r.hostNote)
	set("atob", r.hostAtob)
	set("btoa", r.hostBtoa)
	set("exit", func(c goja.FunctionCall) goja.Value {
		code := c.Argument(0).ToInteger()
		if code == 0 {
			vm.Interrupt(&stop{Exit, ""})
		} else {
			vm.Interrupt(&stop{Exit, fmt.Sprintf("process.exit(%d) during startup", code)})
		}
		return goja.Undefined()
	})
	set("require", func(c goja.FunctionCall) goja.Value {
		return r.require(c.Argument(0).String(), c.Argument(1).String())
	})
	return h
}

// hostTimer schedules a timer (setTimeout, setInterval, setImmediate,
// requestAnimationFrame: arguments fn, delay, repeat, args, kind) and
// returns its id; there are at most maxTimers pending.
func (r *run) hostTimer(c goja.FunctionCall) goja.Value {
	if len(r.timers) >= maxTimers {
		panic(r.throwLimit(fmt.Sprintf("more than %d pending timers (a limit of the manglecheck sandbox)", maxTimers), true))
	}
	r.nextID++
	id := r.nextID
	fn, ok := goja.AssertFunction(c.Argument(0))
	if !ok {
		// setTimeout("code") is eval; the sandbox does not eval.
		return r.vm.ToValue(id)
	}
	delay := int64(c.Argument(1).ToFloat())
	if delay < 0 || delay != delay {
		delay = 0
	}
	t := &timer{id: id, fn: fn, kind: int(c.Argument(4).ToInteger()), ref: true}
	if c.Argument(2).ToBoolean() {
		// Browsers clamp nested intervals to 4 ms.
		t.every = max(delay, 4)
	}
	if a, ok := c.Argument(3).(*goja.Object); ok {
		n := int(a.Get("length").ToInteger())
		for i := 0; i < n && i < 64; i++ {
			t.args = append(t.args, a.Get(fmt.Sprint(i)))
		}
	}
	due := r.now + delay
	if t.kind == kindFrame {
		due = (r.now/16 + 1) * 16
	}
	r.schedule(t, due)
	return r.vm.ToValue(id)
}

// hostUncaught records an error the bundle did not catch (arguments
// message, stack, limit, phase).
func (r *run) hostUncaught(c goja.FunctionCall) goja.Value {
	e := Error{Kind: Uncaught, Message: cut(c.Argument(0).String(), 1000), Limit: c.Argument(2).ToBoolean(), Phase: c.Argument(3).String()}
	e.Frames = parseStack(c.Argument(1).String())
	r.record(e)
	return goja.Undefined()
}

// hostNote records, once, that startup tried the network (argument 1:
// what it tried).
func (r *run) hostNote(c goja.FunctionCall) goja.Value {
	msg := "startup used the network, which the sandbox disables: " + cut(c.Argument(1).String(), 300)
	if !r.seen[msg] && len(r.out.Notes) < maxErrors {
		r.seen[msg] = true
		r.out.Notes = append(r.out.Notes, msg)
	}
	return goja.Undefined()
}

// hostAtob is atob: it decodes base64, ignoring ASCII whitespace, into a
// string of Latin-1 characters.
func (r *run) hostAtob(c goja.FunctionCall) goja.Value {
	s := strings.Map(func(ch rune) rune {
		if ch == ' ' || ch == '\t' || ch == '\n' || ch == '\f' || ch == '\r' {
			return -1
		}
		return ch
	}, c.Argument(0).String())
	s = strings.TrimRight(s, "=")
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		panic(r.throwLimit("InvalidCharacterError: Failed to execute 'atob': The string to be decoded is not correctly encoded.", false))
	}
	runes := make([]rune, len(b))
	for i, c := range b {
		runes[i] = rune(c)
	}
	return r.vm.ToValue(string(runes))
}

// hostBtoa is btoa: it encodes a string of Latin-1 characters in base64.
func (r *run) hostBtoa(c goja.FunctionCall) goja.Value {
	s := c.Argument(0).String()
	b := make([]byte, 0, len(s))
	for _, ch := range s {
		if ch > 0xFF {
			panic(r.throwLimit("InvalidCharacterError: Failed to execute 'btoa': The string to be encoded contains characters outside of the Latin1 range.", false))
		}
		b = append(b, byte(ch))
	}
	return r.vm.ToValue(base64.StdEncoding.EncodeToString(b))
}

// throwLimit returns a JavaScript error to panic with from a host
// function; limit marks it as the sandbox's own.
func (r *run) throwLimit(msg string, limit bool) goja.Value {
	if limit && r.limitError != nil {
		if v, err := r.limitError(goja.Undefined(), r.vm.ToValue(msg)); err == nil {
			return v
		}
	}
	return r.vm.NewGoError(fmt.Errorf("%s", msg))
}

// require implements the Node environment's require: modules the
// bundle's own directory holds, through Config.Require.
func (r *run) require(spec, from string) goja.Value {
	notAvailable := fmt.Sprintf("module %q is not available in the sandbox", spec)
	if r.cfg.Require == nil {
		panic(r.throwLimit(notAvailable, true))
	}
	s, err := r.cfg.Require(spec, from)
	if err != nil {
		panic(r.throwLimit(err.Error(), true))
	}
	name := s.Name
	if m, ok := r.modules[name]; ok {
		return m.(*goja.Object).Get("exports")
	}
	fnv, err := r.vm.RunProgram(s.program)
	if err != nil {
		panic(err)
	}
	fn, _ := goja.AssertFunction(fnv)
	vm := r.vm
	module := vm.NewObject()
	exports := vm.NewObject()
	_ = module.Set("exports", exports)
	_ = module.Set("id", name)
	r.modules[name] = module
	req := vm.ToValue(func(c goja.FunctionCall) goja.Value { return r.require(c.Argument(0).String(), name) })
	if _, err := fn(goja.Undefined(), exports, req, module, vm.ToValue("/sandbox/"+name), vm.ToValue("/sandbox")); err != nil {
		delete(r.modules, name)
		panic(err)
	}
	return module.Get("exports")
}

// probe is the probe function, Probe(id, value): it records value for id
// and returns it, when called from the instrumented call site of id.
func (r *run) probe(c goja.FunctionCall) goja.Value {
	id := int(c.Argument(0).ToInteger())
	v := c.Argument(1)
	// Frame 0 is this function, frame 1 its caller: the call site must be
	// one the instrumentation wrote, for this id.
	st := r.vm.CaptureCallStack(2, nil)
	if len(st) < 2 {
		r.out.Forged++
		return v
	}
	at := st[1].Position()
	if want, ok := r.cfg.ProbeSites[ProbeSite{Script: st[1].SrcName(), Line: at.Line, Col: at.Column}]; !ok || want != id {
		r.out.Forged++
		return v
	}
	p := r.probes[id]
	if p == nil {
		p = &Probe{}
		r.probes[id] = p
	}
	p.Hits++
	if goja.IsString(v) {
		s := cut(v.String(), 200)
		if len(p.Strings) < maxProbeValues && !contains(p.Strings, s) {
			p.Strings = append(p.Strings, s)
		}
	} else {
		p.Other++
	}
	return v
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// track is goja's promise rejection tracker.
func (r *run) track(p *goja.Promise, op goja.PromiseRejectionOperation) {
	switch op {
	case goja.PromiseRejectionReject:
		r.rejections = append(r.rejections, p)
	case goja.PromiseRejectionHandle:
		for i, q := range r.rejections {
			if q == p {
				r.rejections = append(r.rejections[:i], r.rejections[i+1:]...)
				break
			}
		}
	}
}

// after handles the end of a task (the top level, a timer callback, the
// page load events): its error, then the rejections nobody handled
// during it and its microtasks.
func (r *run) after(err error, phase string) {
	if err != nil {
		r.fail(err, phase)
	}
	if r.stopped != nil {
		return
	}
	pending := r.rejections
	r.rejections = nil
	for _, p := range pending {
		if p.State() != goja.PromiseStateRejected {
			continue
		}
		e := r.describeValue(p.Result(), nil)
		e.Kind = Rejection
		e.Phase = phase
		e.Message = "unhandled promise rejection: " + e.Message
		r.record(e)
		if r.stopped != nil {
			return
		}
	}
}

// fail records the error a task ended with.
func (r *run) fail(err error, phase string) {
	switch e := err.(type) {
	case *goja.InterruptedError:
		s, _ := e.Value().(*stop)
		if s == nil {
			s = &stop{Internal, e.Error()}
		}
		if s.kind == Exit && s.msg == "" {
			r.stopped = &Error{Kind: Exit, Phase: phase}
			return
		}
		r.stopped = &Error{Kind: s.kind, Message: s.msg, Frames: frames(e.Stack()), Phase: phase}
	case *goja.StackOverflowError:
		r.stopped = &Error{Kind: StackOverflow, Message: fmt.Sprintf("stack overflow (calls nested more than %d deep)", r.limits.MaxCallDepth), Frames: frames(e.Stack()), Phase: phase}
	case *goja.Exception:
		ex := r.describeValue(e.Value(), e.Stack())
		ex.Phase = phase
		r.record(ex)
	default:
		r.stopped = &Error{Kind: Internal, Message: err.Error(), Phase: phase}
	}
}

// record adds an error; in Node, the first one ends the process, as it
// does in node (uncaught exceptions and, since Node 15, unhandled
// rejections are fatal).
func (r *run) record(e Error) {
	key := fmt.Sprintf("%d\x00%s\x00%v", e.Kind, e.Message, e.Frames)
	if !r.seen[key] {
		r.seen[key] = true
		r.out.Errors = append(r.out.Errors, e)
	}
	if r.cfg.Env == Node || len(r.out.Errors) >= maxErrors {
		r.stopped = &Error{Kind: Exit}
	}
}

// describeValue reads a thrown value's message and stack by running the
// prelude's describe on it, under a short budget of its own: a getter on
// the value may throw or loop, and the run's own deadline may be past.
func (r *run) describeValue(v goja.Value, stack []goja.StackFrame) (e Error) {
	e = Error{Kind: Uncaught, Message: "uncaught exception (its message could not be read)", Frames: frames(stack)}
	if r.describe == nil || v == nil {
		return e
	}
	vm := r.vm
	t := time.AfterFunc(250*time.Millisecond, func() { vm.Interrupt(&stop{Timeout, "describe"}) })
	// A getter that recurses overflows quickly: unwinding thousands of
	// nested built-in calls costs goja time quadratic in their number.
	vm.SetMaxCallStackSize(256)
	defer func() {
		t.Stop()
		vm.SetMaxCallStackSize(r.limits.MaxCallDepth)
		vm.ClearInterrupt()
		if r.isAbandoned() {
			// The run was given up while describing: keep it stopped.
			vm.Interrupt(&stop{Timeout, "abandoned"})
		}
		if recover() != nil {
			e.Message = "uncaught exception (its message could not be read)"
		}
	}()
	res, err := r.describe(goja.Undefined(), v)
	if err != nil {
		return e
	}
	arr, ok := res.(*goja.Object)
	if !ok {
		return e
	}
	if m := arr.Get("0"); m != nil && goja.IsString(m) {
		e.Message = cut(m.String(), 1000)
	}
	if s := arr.Get("1"); s != nil && goja.IsString(s) {
		if fs := parseStack(s.String()); len(fs) > 0 {
			e.Frames = fs
		}
	}
	if l := arr.Get("2"); l != nil {
		e.Limit = l.ToBoolean()
	}
	return e
}

// finish completes the Outcome.
func (r *run) finish() Outcome {
	out := r.out
	for i := range out.Errors {
		out.Errors[i].Frames = ownFrames(out.Errors[i].Frames)
	}
	if r.stopped != nil {
		r.stopped.Frames = ownFrames(r.stopped.Frames)
	}
	if r.stopped != nil && r.stopped.Kind != Exit {
		out.Stop = r.stopped
	} else if r.stopped != nil && r.stopped.Message != "" {
		out.Stop = r.stopped
	}
	out.Probes = r.probes
	out.Callbacks = r.callbacks
	out.VirtualTime = time.Duration(r.now) * time.Millisecond
	return out
}

// frames converts goja's stack, innermost first, to RawFrames.
func frames(st []goja.StackFrame) []RawFrame {
	var out []RawFrame
	for i := range st {
		if len(out) == maxFrames {
			break
		}
		f := &st[i]
		rf := RawFrame{Func: f.FuncName()}
		if rf.Func == "<anonymous>" {
			rf.Func = ""
		}
		if src := f.SrcName(); src != "<native>" {
			p := f.Position()
			rf.Script, rf.Line, rf.Col = src, p.Line, p.Column
		}
		out = append(out, rf)
	}
	return out
}

// ownFrames drops the prelude's frames, and the built-ins the prelude
// called, from a stack: they are the sandbox's, not the bundle's.
func ownFrames(fs []RawFrame) []RawFrame {
	out := fs[:0:0]
	for i, f := range fs {
		if f.Script == preludeName {
			continue
		}
		if f.Script == "" && i+1 < len(fs) && fs[i+1].Script == preludeName {
			continue
		}
		out = append(out, f)
	}
	return out
}

// parseStack reads the frames of a goja Error's stack property:
//
//	TypeError: message
//		at fn (bundle.js:1:48(2))
//		at bundle.js:1:60(9)
//		at map (native)
//
// Lines that do not have that shape (a stack the bundle set itself) are
// skipped.
func parseStack(s string) []RawFrame {
	var out []RawFrame
	for _, line := range strings.Split(s, "\n") {
		if len(out) == maxFrames {
			break
		}
		line, ok := strings.CutPrefix(line, "\tat ")
		if !ok {
			continue
		}
		if strings.HasSuffix(line, "(native)") || line == "native" {
			out = append(out, RawFrame{Func: strings.TrimSuffix(strings.TrimSuffix(line, "(native)"), " ")})
			continue
		}
		fn := ""
		if strings.HasSuffix(line, "))") {
			i := strings.LastIndex(line, " (")
			if i < 0 {
				continue
			}
			fn, line = line[:i], line[i+2:len(line)-1]
		}
		// line is now name:L:C(pc).
		i := strings.LastIndexByte(line, '(')
		if i < 0 {
			continue
		}
		parts := strings.Split(line[:i], ":")
		if len(parts) < 3 {
			continue
		}
		var l, c int
		if _, err := fmt.Sscanf(parts[len(parts)-2]+" "+parts[len(parts)-1], "%d %d", &l, &c); err != nil {
			continue
		}
		out = append(out, RawFrame{Func: fn, Script: strings.Join(parts[:len(parts)-2], ":"), Line: l, Col: c})
	}
	return out
}

// cut shortens s to at most n bytes on a rune boundary, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// --- the event loop

// Timer kinds, as the prelude passes them.
const (
	kindTimeout   = 0
	kindFrame     = 1 // requestAnimationFrame: gets the frame's time
	kindImmediate = 2
)

type timer struct {
	id      int64
	due     int64
	seq     int64
	fn      goja.Callable
	args    []goja.Value
	every   int64 // setInterval's period, 0 for one-shot timers
	kind    int
	ref     bool // keeps a Node process alive (unref clears it)
	cleared bool
}

type timerHeap []*timer

func (h timerHeap) less(i, j int) bool {
	if h[i].due != h[j].due {
		return h[i].due < h[j].due
	}
	return h[i].seq < h[j].seq
}

func (r *run) schedule(t *timer, due int64) {
	r.seq++
	t.due, t.seq = due, r.seq
	r.timers[t.id] = t
	// The heap is small and pops are rare next to JavaScript; a sorted
	// insert keeps it simple.
	i := sort.Search(len(r.queue), func(i int) bool {
		q := r.queue[i]
		return q.due > t.due || q.due == t.due && q.seq > t.seq
	})
	r.queue = append(r.queue, nil)
	copy(r.queue[i+1:], r.queue[i:])
	r.queue[i] = t
}

// loop runs timers in virtual time until nothing is pending, the run is
// stopped, or the callback or virtual-time cap is reached.
func (r *run) loop(ctx context.Context) {
	for !r.limited() && ctx.Err() == nil {
		for len(r.queue) > 0 && r.queue[0].cleared {
			r.queue = r.queue[1:]
		}
		if len(r.queue) == 0 {
			return
		}
		if r.cfg.Env == Node && !r.anyRef() {
			return
		}
		t := r.queue[0]
		if r.callbacks >= r.limits.MaxCallbacks || t.due > r.limits.MaxVirtualTime.Milliseconds() {
			r.out.Pending = len(r.timers)
			return
		}
		r.queue = r.queue[1:]
		r.now = max(r.now, t.due)
		if t.every > 0 {
			r.schedule(t, r.now+t.every)
		} else {
			delete(r.timers, t.id)
		}
		r.callbacks++
		args := t.args
		if t.kind == kindFrame {
			args = []goja.Value{r.vm.ToValue(r.now)}
		}
		_, err := t.fn(goja.Undefined(), args...)
		phase := "timer callback"
		if t.kind == kindFrame {
			phase = "animation frame callback"
		}
		r.after(err, phase)
	}
}

func (r *run) anyRef() bool {
	for _, t := range r.timers {
		if t.ref {
			return true
		}
	}
	return false
}
