package main

import (
	"bufio"
	"fmt"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/bundler"
)

func (m *command) rulesCommand() *cli.Command {
	return &cli.Command{
		Name:         "rules",
		Usage:        "list the rules",
		OnUsageError: onUsageError("manglecheck rules --help"),
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return &usageError{"rules takes no arguments", "Run 'manglecheck explain RULE-ID' for one rule."}
			}
			// The engine's diagnostics come under their own heading: they
			// are about suppression comments, not about the bundle, but
			// are configured (off, a level) like rules. One column width
			// for both tables.
			all := m.allRules()
			width := len("ID")
			for _, r := range all {
				width = max(width, len(r.ID))
			}
			w := bufio.NewWriter(m.stdout)
			row := func(id, sev, title string) {
				fmt.Fprintf(w, "%-*s  %-8s  %s\n", width, id, sev, title)
			}
			row("ID", "SEVERITY", "TITLE")
			for _, r := range m.rules {
				row(r.ID, r.Severity.String(), r.Title)
			}
			fmt.Fprintln(w, "\nEngine diagnostics (about unparsable bundles and suppression comments; configured like rules):")
			for _, r := range analyzer.EngineRules() {
				row(r.ID, r.Severity.String(), r.Title)
			}
			return w.Flush()
		},
	}
}

func (m *command) explainCommand() *cli.Command {
	return &cli.Command{
		Name:         "explain",
		Usage:        "show a rule's documentation and examples",
		ArgsUsage:    "RULE-ID",
		OnUsageError: onUsageError("manglecheck explain --help"),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{"explain takes one rule ID", "Run 'manglecheck rules' for the list of rules."}
			}
			id := c.Args().First()
			for _, r := range m.allRules() {
				if r.ID == id {
					return m.explain(r)
				}
			}
			return &usageError{fmt.Sprintf("unknown rule %q%s", id, didYouMean(id, m.knownIDs())), "Run 'manglecheck rules' for the list of rules."}
		},
	}
}

// explain prints everything the Rule value documents, in the order a
// reader needs it: what, why, how to fix, what it looks like.
func (m *command) explain(r *analyzer.Rule) error {
	w := bufio.NewWriter(m.stdout)
	fmt.Fprintf(w, "%s: %s\n", r.ID, r.Title)
	fmt.Fprintf(w, "Default severity: %s\n", r.Severity)
	if doc := strings.TrimSpace(r.Doc); doc != "" {
		fmt.Fprintf(w, "\n%s\n", doc)
	}
	section := func(title, body, indent string) {
		body = strings.Trim(body, "\n")
		if strings.TrimSpace(body) == "" {
			return
		}
		fmt.Fprintf(w, "\n%s:\n", title)
		for _, line := range strings.Split(body, "\n") {
			if strings.TrimSpace(line) == "" {
				fmt.Fprintln(w)
				continue
			}
			fmt.Fprintf(w, "%s%s\n", indent, line)
		}
	}
	section("Fix", r.Fix, "  ")
	// The keep-names option of the project's own bundler, ready to paste.
	if strings.Contains(r.Fix, "keepNames") {
		if p := bundler.FindProject("."); p.Tool != "" {
			if fix, ok := bundler.KeepNames(p.Tool); ok {
				section(fmt.Sprintf("Keep names in this project (%s, %s)", p.Tool.Name(), rel(p.Config)), fix.Snippet, "    ")
			}
		}
	}
	section("Incorrect code", r.Bad, "    ")
	section("Correct code", r.Good, "    ")
	return w.Flush()
}

func (m *command) versionCommand() *cli.Command {
	return &cli.Command{
		Name:  "version",
		Usage: "print the version",
		Action: func(c *cli.Context) error {
			_, err := fmt.Fprintf(m.stdout, "manglecheck %s\n", version())
			return err
		},
	}
}

// stampedVersion is set by release builds (npm/build.sh:
// -ldflags "-X main.stampedVersion=1.2.3"), whose binaries are not built
// by "go install ...@version".
var stampedVersion string

// version is the stamped version, else the main module's version as
// recorded by the go command ("go install ...@v1.2.3"); a build from a
// checkout has none.
func version() string {
	if stampedVersion != "" {
		return stampedVersion
	}
	bi, ok := debug.ReadBuildInfo()
	if !ok || bi.Main.Version == "" || bi.Main.Version == "(devel)" {
		return "devel"
	}
	return bi.Main.Version
}
