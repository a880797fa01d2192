package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"

	"github.com/rogpeppe/go-internal/testscript"
)

// cmdGen is "gen FILE KIND N": it writes a hostile bundle too big or too
// binary to keep in a txtar archive. KIND is a nesting form ("parens",
// "brackets", "braces", "functions", "templates", "ternaries", "arrows",
// "unary", "chain") N levels deep, "binary" (N pseudo-random bytes), or
// "line" (a minified line of about N bytes ending in a name-compare
// finding).
func cmdGen(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: gen FILE KIND N")
	}
	n, err := strconv.Atoi(args[2])
	if err != nil {
		ts.Fatalf("gen: bad N %q", args[2])
	}
	r := strings.Repeat
	var src string
	switch args[1] {
	case "parens":
		src = "x=" + r("(", n) + "a" + r(")", n)
	case "brackets":
		src = "x=" + r("[", n) + r("]", n)
	case "braces":
		src = "x=" + r("{a:", n) + "1" + r("}", n)
	case "functions":
		src = r("function f(){", n) + r("}", n)
	case "templates":
		src = "x=" + r("`${", n) + "a" + r("}`", n)
	case "ternaries":
		src = "x=" + r("a?b:", n) + "c"
	case "arrows":
		src = "x=" + r("a=>", n) + "1"
	case "unary":
		src = "x=" + r("!", n) + "a"
	case "chain":
		src = "x=" + r("a+", n) + "a"
	case "binary":
		b := make([]byte, n)
		x := uint32(2463534242)
		for i := range b {
			x ^= x << 13
			x ^= x >> 17
			x ^= x << 5
			b[i] = byte(x)
		}
		src = string(b)
	case "line":
		src = r("function a(b){return b+1}var c=a(2);", n/37) + `class e{}function t(n){return n.constructor.name==="UserService"}`
	default:
		ts.Fatalf("gen: unknown kind %q", args[1])
	}
	if err := os.WriteFile(ts.MkAbs(args[0]), []byte(src), 0o644); err != nil {
		ts.Fatalf("gen: %v", err)
	}
}

// cmdMkfifo is "mkfifo PATH".
func cmdMkfifo(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: mkfifo PATH")
	}
	if err := syscall.Mkfifo(ts.MkAbs(args[0]), 0o644); err != nil {
		ts.Fatalf("mkfifo: %v", err)
	}
}
