package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"
)

func TestProgressBar(t *testing.T) {
	var clock time.Time
	var w bytes.Buffer
	p := &progressBar{w: &w, now: func() time.Time { return clock }, start: clock, delay: time.Second}
	p.update(1, 4) // at once: nothing, quick runs never show a bar
	clock = clock.Add(1500 * time.Millisecond)
	p.update(2, 4)
	p.update(3, 4) // within 100ms of the last draw: skipped
	clock = clock.Add(200 * time.Millisecond)
	p.update(4, 4)
	p.finish()
	want := "\r\x1b[K[===============               ] 2/4 files" +
		"\r\x1b[K[==============================] 4/4 files" +
		"\r\x1b[K"
	if w.String() != want {
		t.Errorf("bar output %q, want %q", w.String(), want)
	}

	w.Reset()
	quick := &progressBar{w: &w, now: time.Now, start: time.Now(), delay: time.Hour}
	quick.update(1, 1)
	quick.finish()
	if w.Len() != 0 {
		t.Errorf("a quick run drew %q", w.String())
	}
}

// The bar is for people at a terminal: never in CI logs, pipes, or -q.
func TestProgressBarWhen(t *testing.T) {
	for _, tc := range []struct {
		env   map[string]string
		tty   bool
		quiet bool
		want  bool
	}{
		{nil, true, false, true},
		{map[string]string{"CI": "true"}, true, false, false},
		{map[string]string{"TERM": "dumb"}, true, false, false},
		{nil, false, false, false},
		{nil, true, true, false},
	} {
		m := &command{stderr: &bytes.Buffer{}, getenv: env(tc.env), tty: func(io.Writer) bool { return tc.tty }}
		if got := m.progressBar(&checkRun{quiet: tc.quiet}) != nil; got != tc.want {
			t.Errorf("env %v, tty %v, quiet %v: bar %v, want %v", tc.env, tc.tty, tc.quiet, got, tc.want)
		}
	}
}

// End to end: a slow run (a clock that jumps) on a terminal draws the bar
// on stderr and erases it; stdout has only the report.
func TestProgressBarRun(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	for _, name := range []string{"a.js", "b.js", "c.js"} {
		if err := writeTestFile(name, "var x = 1;\n"); err != nil {
			t.Fatal(err)
		}
	}
	var stdout, stderr bytes.Buffer
	var clock time.Time
	m := &command{
		stdout: &stdout, stderr: &stderr, getenv: env(nil),
		rules: fakeRules,
		now:   func() time.Time { clock = clock.Add(time.Second); return clock },
		tty:   func(w io.Writer) bool { return w == &stderr },
	}
	if code := m.run(t.Context(), []string{"manglecheck", "check", "--jobs", "1", "."}); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "] 3/3 files") || !strings.HasSuffix(stderr.String(), "\r\x1b[K") {
		t.Errorf("stderr %q: want a bar, erased at the end", stderr.String())
	}
	if strings.Contains(stdout.String(), "files\r") || !strings.HasPrefix(stdout.String(), "0 findings in 3 files") {
		t.Errorf("stdout %q", stdout.String())
	}
}

func writeTestFile(name, text string) error { return os.WriteFile(name, []byte(text), 0o644) }
