package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// progressBar draws "[=====     ] 12/40 files" on one terminal line of
// stderr, redrawn in place, once a run has taken longer than delay: quick
// runs never show it. The engine calls update one file at a time.
type progressBar struct {
	w     io.Writer
	now   func() time.Time
	start time.Time
	delay time.Duration
	last  time.Time
	shown bool
}

const (
	progressDelay = time.Second
	progressEvery = 100 * time.Millisecond
	progressWidth = 30
)

// progressBar returns a bar when stderr is a terminal and this is not a
// CI log (CI is set by GitHub Actions, GitLab, CircleCI, Travis, …) nor
// a --quiet run; nil otherwise.
func (m *command) progressBar(r *checkRun) *progressBar {
	if r.quiet || m.getenv("CI") != "" || m.getenv("TERM") == "dumb" || !m.isTTY(m.stderr) {
		return nil
	}
	now := m.now
	if now == nil {
		now = time.Now
	}
	return &progressBar{w: m.stderr, now: now, start: now(), delay: progressDelay}
}

func (p *progressBar) update(done, total int) {
	t := p.now()
	if t.Sub(p.start) < p.delay || total <= 0 {
		return
	}
	if p.shown && done < total && t.Sub(p.last) < progressEvery {
		return
	}
	p.last, p.shown = t, true
	filled := progressWidth * done / total
	fmt.Fprintf(p.w, "\r\x1b[K[%s%s] %d/%d files", strings.Repeat("=", filled), strings.Repeat(" ", progressWidth-filled), done, total)
}

// finish erases the bar, so the report starts on a clean line.
func (p *progressBar) finish() {
	if p.shown {
		fmt.Fprint(p.w, "\r\x1b[K")
	}
}
