package rules

import "testing"

func TestRequiredWord(t *testing.T) {
	for src, want := range map[string]string{
		`^(\w+)Controller$`:  "Controller",
		`Service$`:           "Service",
		`^(?:Base|Abstract)`: "",
		`^_`:                 "",
		`(?i)controller`:     "",
		`^(Admin)?Panel\d+$`: "Panel",
		`^[A-Z]\w*Error$`:    "Error",
		`Store(s)?$`:         "Store",
		`^data-Widget-Item$`: "Widget",
	} {
		if got := requiredWord(src); got != want {
			t.Errorf("requiredWord(%q) = %q, want %q", src, got, want)
		}
	}
}
