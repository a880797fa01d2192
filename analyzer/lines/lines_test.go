package lines

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// naiveAll is the obvious definition the Index must agree with: the
// (line, col16) of every offset 0 to len(src), in one pass.
func naiveAll(src string) [][2]int {
	out := make([][2]int, 0, len(src)+1)
	line, col16 := 0, 0
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		if r == '\r' && i+1 < len(src) && src[i+1] == '\n' {
			size = 2
		}
		// Offsets inside a character or terminator are where it starts.
		for range size {
			out = append(out, [2]int{line, col16})
		}
		switch {
		case r == '\n' || r == '\r' || r == '\u2028' || r == '\u2029':
			line, col16 = line+1, 0
		case i == 0 && r == '\uFEFF': // a leading BOM takes no column
		case r == utf8.RuneError && size == 1:
			col16++
		default:
			col16 += len(utf16.Encode([]rune{r}))
		}
		i += size
	}
	return append(out, [2]int{line, col16})
}

func TestPositionMatchesNaive(t *testing.T) {
	texts := []string{
		"",
		"a",
		"\n",
		"ab\ncd",
		"ab\r\ncd\ref\n",
		"x\u2028y\u2029z",
		"é😀a\r\n\u00e9\u4e2d😀b",
		"bad\xff\xfebytes\xe2\x80\n\xf0\x9f\x98",
		strings.Repeat("a", 3000) + "é" + strings.Repeat("b", 5000) + "😀" + strings.Repeat("c", 100),
		strings.Repeat("中😀a", 2000) + "\r\n" + strings.Repeat("x", 2100),
	}
	for _, src := range texts {
		x := New(src)
		want := naiveAll(src)
		for off := 0; off <= len(src); off++ {
			gl, gc := x.Position(off)
			wl, wc := want[off][0], want[off][1]
			if gl != wl || gc != wc {
				t.Fatalf("src %.40q off %d: Position = (%d,%d), want (%d,%d)", src, off, gl, gc, wl, wc)
			}
		}
	}
}

func TestOffsetRoundTrip(t *testing.T) {
	src := "const s=\"é😀\";\r\nlet t=1;\u2028" + strings.Repeat("x😀", 1500) + "\nend"
	x := New(src)
	for off := 0; off <= len(src); off++ {
		if off < len(src) && !utf8.RuneStart(src[off]) {
			continue
		}
		line, col := x.Position(off)
		if strings.HasPrefix(src[off:], "\n") && off > 0 && src[off-1] == '\r' {
			continue // inside "\r\n": reported at the line end, i.e. the '\r'
		}
		got, ok := x.Offset(line, col)
		if !ok || got != off {
			t.Fatalf("Offset(Position(%d)=(%d,%d)) = %d, %v", off, line, col, got, ok)
		}
	}
}

func TestTerminators(t *testing.T) {
	src := "a\r\nbb\rccc\n\u2028d\u2029e"
	x := New(src)
	want := []string{"a", "bb", "ccc", "", "d", "e"}
	if x.Lines() != len(want) {
		t.Fatalf("Lines() = %d, want %d", x.Lines(), len(want))
	}
	for i, w := range want {
		if got := x.Line(i); got != w {
			t.Errorf("Line(%d) = %q, want %q", i, got, w)
		}
	}
	if x.Line(-1) != "" || x.Line(len(want)) != "" {
		t.Error("Line out of range should be empty")
	}
	// The '\n' of "\r\n" belongs to line 0 and is reported at its end.
	if l, c := x.Position(2); l != 0 || c != 1 {
		t.Errorf("Position inside CRLF = (%d,%d), want (0,1)", l, c)
	}
	if l, c := x.Position(strings.Index(src, "d")); l != 4 || c != 0 {
		t.Errorf("Position(d) = (%d,%d), want (4,0)", l, c)
	}
	if l, c := x.Position(strings.Index(src, "e")); l != 5 || c != 0 {
		t.Errorf("Position(e) = (%d,%d), want (5,0)", l, c)
	}
}

func TestUTF16Columns(t *testing.T) {
	// "😀" is astral (2 units), "é" and "中" are BMP (1 unit each).
	src := "x=\"😀é中\";foo()"
	x := New(src)
	off := strings.Index(src, "foo")
	if l, c := x.Position(off); l != 0 || c != 9 {
		t.Errorf("Position(foo) = (%d,%d), want (0,9)", l, c)
	}
	if got, ok := x.Offset(0, 9); !ok || got != off {
		t.Errorf("Offset(0,9) = %d,%v, want %d", got, ok, off)
	}
	// Column 4 is the low surrogate of 😀: start of the character.
	if got, ok := x.Offset(0, 4); !ok || got != 3 {
		t.Errorf("Offset(0,4) = %d,%v, want 3", got, ok)
	}
	if _, ok := x.Offset(0, len(src)); ok {
		t.Error("Offset past end of line should fail")
	}
	if _, ok := x.Offset(1, 0); ok {
		t.Error("Offset on missing line should fail")
	}
	if got, ok := x.Offset(0, 14); !ok || got != len(src) {
		t.Errorf("Offset(0, end) = %d,%v, want %d", got, ok, len(src))
	}
}

func TestInvalidUTF8(t *testing.T) {
	src := "\xff\xfeab"
	x := New(src)
	if l, c := x.Position(3); l != 0 || c != 3 {
		t.Errorf("Position = (%d,%d), want (0,3): invalid bytes are one unit each", l, c)
	}
}

func TestClamp(t *testing.T) {
	x := New("ab\ncd")
	if l, c := x.Position(-5); l != 0 || c != 0 {
		t.Errorf("Position(-5) = (%d,%d)", l, c)
	}
	if l, c := x.Position(100); l != 1 || c != 2 {
		t.Errorf("Position(100) = (%d,%d)", l, c)
	}
}

// bigLine is an 8 MB single-line "bundle" with a few non-ASCII characters,
// the shape of real minified output.
func bigLine() string {
	var b strings.Builder
	chunk := strings.Repeat("function a(b){return b+1}var c=a(2);", 100)
	for b.Len() < 8<<20 {
		b.WriteString(chunk)
		if b.Len()%(1<<20) < len(chunk) {
			b.WriteString(`var s="é😀";`)
		}
	}
	return b.String()
}

func TestBigLineNoRescan(t *testing.T) {
	src := bigLine()
	x := New(src)
	if x.Lines() != 1 {
		t.Fatalf("Lines = %d", x.Lines())
	}
	want := naiveAll(src)
	for _, off := range []int{0, 10, len(src) / 2, len(src) - 1, len(src)} {
		l, c := x.Position(off)
		if wl, wc := want[off][0], want[off][1]; l != wl || c != wc {
			t.Fatalf("Position(%d) = (%d,%d), want (%d,%d)", off, l, c, wl, wc)
		}
		if off < len(src) {
			if got, ok := x.Offset(l, c); !ok || got != off {
				t.Fatalf("Offset(%d,%d) = %d,%v, want %d", l, c, got, ok, off)
			}
		}
	}
}

func BenchmarkNew(b *testing.B) {
	src := bigLine()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		New(src)
	}
}

func BenchmarkPosition(b *testing.B) {
	src := bigLine()
	x := New(src)
	b.ReportAllocs()
	off := 0
	for b.Loop() {
		off = (off + 7919*13) % len(src)
		x.Position(off)
	}
}

func FuzzPosition(f *testing.F) {
	for _, s := range []string{"ab\r\ncd", "x\u2028y", "é😀\n\xff", "\uFEFFab\uFEFF\ncd", strings.Repeat("a", 1100) + "é" + strings.Repeat("😀", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		x := New(src)
		// One pass for the reference: naive per offset is quadratic, and
		// the fuzzer grows inputs until a single run took minutes.
		want := naiveAll(src)
		for off := 0; off <= len(src); off++ {
			l, c := x.Position(off)
			if wl, wc := want[off][0], want[off][1]; l != wl || c != wc {
				t.Fatalf("Position(%d) = (%d,%d), want (%d,%d)", off, l, c, wl, wc)
			}
			if o, ok := x.Offset(l, c); !ok || o > off {
				t.Fatalf("Offset(%d,%d) = %d,%v for offset %d", l, c, o, ok, off)
			}
		}
	})
}

// A BOM starting the text takes no column (browsers drop it, and source
// maps and editors count from after it); one anywhere else is a character.
func TestLeadingBOM(t *testing.T) {
	src := "\uFEFFab\uFEFFc\nd"
	x := New(src)
	for _, c := range []struct{ off, line, col int }{{0, 0, 0}, {3, 0, 0}, {4, 0, 1}, {5, 0, 2}, {8, 0, 3}, {10, 1, 0}} {
		if l, col := x.Position(c.off); l != c.line || col != c.col {
			t.Errorf("Position(%d) = (%d,%d), want (%d,%d)", c.off, l, col, c.line, c.col)
		}
	}
	for _, c := range []struct{ line, col, off int }{{0, 1, 4}, {0, 3, 8}, {1, 0, 10}} {
		if off, ok := x.Offset(c.line, c.col); !ok || off != c.off {
			t.Errorf("Offset(%d,%d) = %d,%v, want %d", c.line, c.col, off, ok, c.off)
		}
	}
}
