package jstoken

import (
	"fmt"
	"strings"
	"testing"
)

var kindNames = [...]string{EOF: "eof", Invalid: "invalid", Ident: "ident", PrivateName: "private",
	Punct: "punct", Number: "number", String: "string", Template: "template", TemplateHead: "head",
	TemplateMiddle: "middle", TemplateTail: "tail", Regex: "regex", Comment: "comment"}

// lexAll returns the tokens of src as "kind:text" (a ^ marks a token after
// a line terminator), up to and including EOF or Invalid ("invalid@offset").
func lexAll(src string, opts Options) string {
	l := NewLexer(src, opts)
	var out []string
	for {
		t := l.Next()
		s := kindNames[t.Kind] + ":" + src[t.Start:t.End]
		switch t.Kind {
		case EOF:
			return strings.Join(out, " ")
		case Invalid:
			return strings.Join(append(out, fmt.Sprintf("invalid@%d", t.Start)), " ")
		}
		if t.NL {
			s = "^" + s
		}
		out = append(out, s)
	}
}

func TestLexerKinds(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"", ""},
		{"a $b _c\u00e9 \\u0061x \\u{62}y", `ident:a ident:$b ident:_cé ident:\u0061x ident:\u{62}y`},
		{"this.#p", "ident:this punct:. private:#p"},
		{"1 .5 0x1Fn 1_000 1e-3 2.e5 08", "number:1 number:.5 number:0x1Fn number:1_000 number:1e-3 number:2.e5 number:08"},
		{`"a\"b" 'c\'d' "e\
f"`, `string:"a\"b" string:'c\'d' string:"e\` + "\n" + `f"`},
		{"`a` `b${c}d${e}f` `${`${x}`}`", "template:`a` head:`b${ ident:c middle:}d${ ident:e tail:}f` " +
			"head:`${ head:`${ ident:x tail:}` tail:}`"},
		{"`${{a:1}}`", "head:`${ punct:{ ident:a punct:: number:1 punct:} tail:}`"},
		{"a>>>=b?.c??=d...e=>f**=g!==h&&=i", "ident:a punct:>>>= ident:b punct:?. ident:c punct:??= ident:d " +
			"punct:... ident:e punct:=> ident:f punct:**= ident:g punct:!== ident:h punct:&&= ident:i"},
		{"a?.5:b", "ident:a punct:? number:.5 punct:: ident:b"},
		{"a\nb\rc\u2028d\u2029e/*\n*/f//x\ng", "ident:a ^ident:b ^ident:c ^ident:d ^ident:e ^ident:f ^ident:g"},
		{"a/* x */b", "ident:a ident:b"},
		{"#!/usr/bin/env node\nx", "^ident:x"},
		{"a\u00a0b\ufeffc", "ident:a ident:b ident:c"},
	} {
		if got := lexAll(c.src, Options{}); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestLexerInvalid(t *testing.T) {
	for _, c := range []struct {
		src  string
		opts Options
		want string
	}{
		{"a /* x", Options{}, "ident:a invalid@2"},
		{`"abc`, Options{}, "invalid@0"},
		{"\"a\nb\"", Options{}, "invalid@0"},
		{"`a${b", Options{}, "head:`a${ ident:b"}, // the end of the text ends the stream
		{"`abc", Options{}, "invalid@0"},
		{"x = /abc\n/", Options{}, "ident:x punct:= invalid@4"},
		{"(]", Options{}, "punct:( invalid@1"},
		{")", Options{}, "invalid@0"},
		{"`${)`", Options{}, "head:`${ invalid@3"},
		{"a\x00", Options{}, "ident:a invalid@1"},
		{`a\b`, Options{}, "ident:a invalid@1"},
		{"é", Options{ASCIIOnly: true}, "invalid@0"},
		{"ab\u00e9", Options{ASCIIOnly: true}, "invalid@2"},
		{"a\u00a0b", Options{ASCIIOnly: true}, "invalid@1"},
		{"a \u00a0b", Options{ASCIIOnly: true}, "ident:a invalid@2"},
		{`\u0065lse`, Options{ASCIIOnly: true}, "invalid@0"},
		{"'é'/*é*/`é`//é", Options{ASCIIOnly: true}, "string:'é' template:`é`"},
		{"((x))", Options{MaxDepth: 1}, "punct:( invalid@1"},
		{"`${`${x}`}`", Options{MaxDepth: 1}, "head:`${ invalid@3"},
	} {
		if got := lexAll(c.src, c.opts); got != c.want {
			t.Errorf("%q %+v:\n got %s\nwant %s", c.src, c.opts, got, c.want)
		}
	}
}

// Every `/` decision, and the ones the token before cannot make alone.
func TestLexerSlash(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"a / b / c", "ident:a punct:/ ident:b punct:/ ident:c"},
		{"x = /re/g", "ident:x punct:= regex:/re/g"},
		{"/re/.test(s)", "regex:/re/ punct:. ident:test punct:( ident:s punct:)"},
		{"if(a) /re/.test(s)", "ident:if punct:( ident:a punct:) regex:/re/ punct:. ident:test punct:( ident:s punct:)"},
		{"while (a) /b/", "ident:while punct:( ident:a punct:) regex:/b/"},
		{"f(a) /b/ c", "ident:f punct:( ident:a punct:) punct:/ ident:b punct:/ ident:c"},
		{"x.if(a) /b", "ident:x punct:. ident:if punct:( ident:a punct:) punct:/ ident:b"},
		{"if(f(a)) /re/", "ident:if punct:( ident:f punct:( ident:a punct:) punct:) regex:/re/"},
		{"a[0] /b", "ident:a punct:[ number:0 punct:] punct:/ ident:b"},
		{"return /re/", "ident:return regex:/re/"},
		{"typeof /re/", "ident:typeof regex:/re/"},
		{"a.return / 2", "ident:a punct:. ident:return punct:/ number:2"},
		{"a?.typeof / 2", "ident:a punct:?. ident:typeof punct:/ number:2"},
		{"x /= 2", "ident:x punct:/= number:2"},
		{"x = /=/", "ident:x punct:= regex:/=/"},
		{"`${ a / b }`", "head:`${ ident:a punct:/ ident:b tail:}`"},
		{"`${ /b/ }`", "head:`${ regex:/b/ tail:}`"},
		{"`x` / 2", "template:`x` punct:/ number:2"},
		{"'a' / 2, 1 / 2, /a/ / 2", "string:'a' punct:/ number:2 punct:, number:1 punct:/ number:2 punct:, regex:/a/ punct:/ number:2"},
		{"a // c / d\n/re/", "ident:a ^punct:/ ident:re punct:/"},
		{"a /* c / d */ / b", "ident:a punct:/ ident:b"},
		{"x = /[/]/", "ident:x punct:= regex:/[/]/"},
		{`x = /\//`, `ident:x punct:= regex:/\//`},
		{"x = </script>/", "ident:x punct:= punct:< regex:/script>/"},
		{"a\u2028/re/", "ident:a ^punct:/ ident:re punct:/"},
		{"=> /re/", "punct:=> regex:/re/"},
		{"a ++ /b/", "ident:a punct:++ invalid@5"},
		{"{} /re/", "punct:{ punct:} invalid@3"},
		{"x = {} / 1", "ident:x punct:= punct:{ punct:} invalid@7"},
		{"a.b / 2", "ident:a punct:. ident:b punct:/ number:2"},
		{"yield /re/", "ident:yield invalid@6"},
		{"\\u0072eturn /re/", `ident:\u0072eturn punct:/ ident:re punct:/`},
	} {
		if got := lexAll(c.src, Options{}); got != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, got, c.want)
		}
	}
}

func TestSlashAfter(t *testing.T) {
	want := map[Before]Slash{
		BeforeStatement: StartRegex, BeforeOperator: StartRegex, BeforeKeyword: StartRegex,
		BeforeOperand: Divide,
		BeforeBrace:   Unsure, BeforeIncDec: Unsure, BeforeDot: Unsure, BeforeKey: Unsure, BeforeContextual: Unsure,
	}
	for b := BeforeStatement; b <= BeforeContextual; b++ {
		if got := SlashAfter(b); got != want[b] {
			t.Errorf("SlashAfter(%d) = %d, want %d", b, got, want[b])
		}
	}
	for w, b := range map[string]Before{"return": BeforeKeyword, "else": BeforeKeyword, "in": BeforeKeyword,
		"await": BeforeContextual, "of": BeforeContextual, "x": BeforeOperand, "this": BeforeOperand, "if": BeforeOperand} {
		if got := ClassifyWord(w); got != b {
			t.Errorf("ClassifyWord(%q) = %d, want %d", w, got, b)
		}
	}
}

// The options the source map comment scan lexes one line with.
func TestLexerFragment(t *testing.T) {
	line := Options{Comments: true, Fragment: true, Guess: StartRegex}
	for _, c := range []struct {
		src  string
		opts Options
		want string
	}{
		{"a /* b */ c // d", Options{Comments: true}, "ident:a comment:/* b */ ident:c comment:// d"},
		{"a // b\n/re/", Options{Comments: true}, "ident:a comment:// b ^punct:/ ident:re punct:/"}, // comments do not count
		{"/* a", Options{Comments: true}, "invalid@0"},
		{"})(); //# x", line, "punct:} punct:) punct:( punct:) punct:; comment://# x"},
		{"}) / 2 //x", line, "punct:} punct:) punct:/ number:2 comment://x"},
		{"} /re/ //x", line, "punct:} regex:/re/ comment://x"},
		{"a++ /re/", line, "ident:a punct:++ regex:/re/"},
		{" * \\s? // m", line, `punct:* punct:\ ident:s punct:? comment:// m`},
		{"/a/ //x", Options{Fragment: true, Start: BeforeOperand, Comments: true}, "punct:/ ident:a punct:/ comment://x"},
		{"/a/ //x", Options{Fragment: true, Start: BeforeOperator, Comments: true}, "regex:/a/ comment://x"},
		{"#!x //y", line, "punct:# punct:! ident:x comment://y"},
		{"#!x //y", Options{Comments: true}, ""},
		{"'//' // x", line, "string:'//' comment:// x"},
		{"`${'}'}//` // x", line, "head:`${ string:'}' tail:}//` comment:// x"},
	} {
		if got := lexAll(c.src, c.opts); got != c.want {
			t.Errorf("%q %+v:\n got %s\nwant %s", c.src, c.opts, got, c.want)
		}
	}
}

func TestPunctLen(t *testing.T) {
	for _, p := range strings.Fields("{ } ( ) [ ] ; , < > <= >= == != === !== + - * / % ** ++ -- << >> >>> & | ^ ! ~ && || ?? ? : = += -= *= /= %= **= <<= >>= >>>= &= |= ^= &&= ||= ??= => . ... ?. @ #") {
		if n := PunctLen(p+"x", 0); n != len(p) {
			t.Errorf("PunctLen(%q) = %d", p+"x", n)
		}
	}
	for src, n := range map[string]int{"?.5": 1, "..": 1, "<<<": 2, ">>>>": 3, "=>>": 2, "!===": 3, "+++": 2, "*/": 1} {
		if got := PunctLen(src, 0); got != n {
			t.Errorf("PunctLen(%q) = %d, want %d", src, got, n)
		}
	}
}

func TestLines(t *testing.T) {
	for s, want := range map[string]bool{"a": false, "a\nb": true, "a\rb": true, "a\u2028": true, "\u2029": true, "\u2027\u00e2": false} {
		if HasLineTerminator(s) != want {
			t.Errorf("HasLineTerminator(%q) = %v", s, !want)
		}
	}
	src := "ab\ncd\u2028ef\rgh"
	for end, want := range map[int]int{0: 0, 2: 0, 3: 3, 5: 3, 8: 8, 9: 8, 11: 11, 12: 11, len(src): 11} {
		if got := LineStart(src, end); got != want {
			t.Errorf("LineStart(%q, %d) = %d, want %d", src, end, got, want)
		}
		if got := LineStart([]byte(src), end); got != want {
			t.Errorf("LineStart([]byte, %d) = %d, want %d", end, got, want)
		}
	}
	if got := LineEnd(src, 3); got != 5 {
		t.Errorf("LineEnd = %d, want 5", got)
	}
	if sp := "x; \t\n\u2028\u00a0\ufeff\u2029"; TrimSpaceEnd(sp, len(sp)) != 2 {
		got := TrimSpaceEnd(sp, len(sp))
		t.Errorf("TrimSpaceEnd = %d, want 2", got)
	}
	if got := TrimSpaceEnd("x\u3000", 4); got != 4 {
		t.Errorf("TrimSpaceEnd stopped at %d, want 4 (U+3000 is not trimmed)", got)
	}
	for _, c := range []struct {
		src      string
		end      int
		nl, full bool
	}{
		{"  x", 2, false, false}, {" \n x", 3, true, false}, {"/*\u2028*/x", 7, true, false},
		{"/* */x", 5, false, false}, {"// a\nx", 5, true, false}, {"/* a", 4, false, true}, {"\u00a0\u3000x", 5, false, false},
	} {
		end, nl := SkipTrivia(c.src, 0)
		if end != c.end || nl != c.nl {
			t.Errorf("SkipTrivia(%q) = %d %v, want %d %v", c.src, end, nl, c.end, c.nl)
		}
	}
}
