package didyoumean

import "testing"

func TestSuggest(t *testing.T) {
	ids := []string{"name-compare", "name-key", "name-message", "name-derived", "param-names", "check", "explain"}
	for _, c := range []struct{ got, want string }{
		{"name-compar", " (did you mean name-compare?)"},
		{"nmae-key", " (did you mean name-key?)"},
		{"chek", " (did you mean check?)"},
		{"param", " (did you mean param-names?)"},
		{"name-compare", ""},
		{"frobnicate", ""},
		{"x", ""},
	} {
		if got := Suggest(c.got, ids); got != c.want {
			t.Errorf("Suggest(%q) = %q, want %q", c.got, got, c.want)
		}
	}
}
