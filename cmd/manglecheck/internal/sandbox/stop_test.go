package sandbox

import (
	"errors"
	"os/exec"
	"strings"
	"testing"
)

// A Go runtime that faults inside its collector when the OS refuses it
// memory (Go 1.26, under RLIMIT_DATA: the head of a real dump from
// TestHostileSuite's eval-32mb) is the bundle's out of memory; a fault
// elsewhere in the runtime is said as a crash, and no dump reaches the
// message.
func TestStopReasonRuntimeSignal(t *testing.T) {
	const gcFault = `SIGSEGV: segmentation violation
PC=0x43911d m=0 sigcode=1 addr=0x0

goroutine 0 gp=0x16a4e60 m=0 mp=0x16a5e60 [idle]:
runtime.(*spanQueue).tryDrain(0x7ffe00001000?, 0x45d310?, 0x76cfe1e0?)
	/usr/local/go/src/runtime/mgcmark_greenteagc.go:520 +0x5d fp=0x7ffed6b80a80 sp=0x7ffed6b80a60 pc=0x43911d
runtime.(*spanQueue).drain(0x2b12768db278, 0x80)
`
	const otherFault = `SIGSEGV: segmentation violation
PC=0x43911d m=0 sigcode=1 addr=0x0

goroutine 7 gp=0x16a4e60 m=0 mp=0x16a5e60 [running]:
runtime.memmove(0x0, 0x1, 0x2)
	/usr/local/go/src/runtime/memmove_amd64.s:100 +0x5d
`
	const userFault = `SIGSEGV: segmentation violation
PC=0x43911d m=0 sigcode=1 addr=0x0

goroutine 7 gp=0x16a4e60 m=0 mp=0x16a5e60 [running]:
github.com/dop251/goja.(*vm).run(0x0)
`
	cmd := &exec.Cmd{}
	l := Limits{MaxMemory: 256 << 20}
	for _, tc := range []struct{ stderr, want string }{
		{gcFault, "out of memory: the Go runtime's memory manager crashed (a signal in runtime.(*spanQueue).tryDrain) at the sandbox process's limit of 417 MiB"},
		{otherFault, "the Go runtime crashed (a signal in runtime.memmove)"},
		{userFault, "the sandbox process failed (no report)"},
	} {
		got := stopReason(errors.New("exit status 2"), false, false, cmd, tc.stderr, l, 417<<20)
		if !strings.HasPrefix(got, tc.want) {
			t.Errorf("stopReason:\nhave %s\nwant %s…", got, tc.want)
		}
		if strings.Contains(got, "goroutine") || strings.Contains(got, "0x") {
			t.Errorf("a dump reached the message: %s", got)
		}
	}
}
