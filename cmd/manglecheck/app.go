package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/rules"
)

// Exit codes.
const (
	exitOK       = 0 // no finding at or above --fail-on
	exitFindings = 1 // findings at or above --fail-on
	exitTrouble  = 2 // usage error, or a file could not be analyzed
)

// run is main without the process: arguments, writers and exit code are
// explicit so tests can drive it.
func run(args []string, stdout, stderr io.Writer) int {
	return newCommand(stdout, stderr).run(context.Background(), args)
}

func newCommand(stdout, stderr io.Writer) *command {
	return &command{
		stdout: stdout,
		stderr: stderr,
		getenv: os.Getenv,
		rules:  rules.All(),
		now:    time.Now,
	}
}

// command holds what the subcommands read from their environment; nothing
// below run touches os.Args, os.Getenv or os.Exit.
type command struct {
	stdout, stderr io.Writer
	getenv         func(string) string
	rules          []*analyzer.Rule
	// now is the clock of the progress bar; tty tells whether a writer is
	// a terminal (nil: isTerminal).
	now func() time.Time
	tty func(io.Writer) bool
	// out tracks -o's temporary files for the signal handler (runMain);
	// nil in tests that call run.
	out *outputs
}

func (m *command) isTTY(w io.Writer) bool {
	if m.tty != nil {
		return m.tty(w)
	}
	return isTerminal(w)
}

// usageError is a mistake on the command line: one line of error, one of
// hint, exit code 2.
type usageError struct {
	msg, hint string
}

func (e *usageError) Error() string { return e.msg }

// exitError carries an exit code whose explanation was already printed
// (the report says which files failed and what was found).
type exitError int

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", int(e)) }

func (m *command) run(ctx context.Context, args []string) int {
	app := m.app()
	err := app.RunContext(ctx, permuteFlags(app, args))
	return m.exitCode(err)
}

func (m *command) exitCode(err error) int {
	var (
		usage *usageError
		code  exitError
		coder cli.ExitCoder
	)
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &code):
		return int(code)
	case errors.As(err, &usage):
		fmt.Fprintf(m.stderr, "manglecheck: %s\n", usage.msg)
		if usage.hint != "" {
			fmt.Fprintln(m.stderr, usage.hint)
		}
		return exitTrouble
	case errors.As(err, &coder):
		// From urfave/cli itself, e.g. "help nope": "No help topic for 'nope'".
		fmt.Fprintf(m.stderr, "manglecheck: %s\nRun 'manglecheck help' for usage.\n", err)
		return exitTrouble
	}
	fmt.Fprintf(m.stderr, "manglecheck: %s\n", err)
	return exitTrouble
}

func (m *command) app() *cli.App {
	return &cli.App{
		Name:      "manglecheck",
		Usage:     "find code in minified JavaScript that relies on names the minifier renamed",
		UsageText: "manglecheck check [flags] PATH...\nmanglecheck rules\nmanglecheck explain RULE-ID",
		Writer:    m.stdout,
		ErrWriter: m.stderr,
		// The library must never exit the process: run returns the code.
		ExitErrHandler: func(*cli.Context, error) {},
		HideVersion:    true,
		OnUsageError:   onUsageError("manglecheck help"),
		// --version and -v, as people type it; `manglecheck version` too.
		Flags: []cli.Flag{&cli.BoolFlag{Name: "version", Aliases: []string{"v"}, Usage: "print the version"}},
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				_, err := fmt.Fprintf(m.stdout, "manglecheck %s\n", version())
				return err
			}
			if c.NArg() > 0 {
				name := c.Args().First()
				return &usageError{fmt.Sprintf("unknown command %q%s", name, didYouMean(name, commandNames(c.App))), "Run 'manglecheck help' for usage."}
			}
			return &usageError{"no command given", "Run 'manglecheck help' for usage."}
		},
		Commands: []*cli.Command{
			m.checkCommand(),
			m.smokeCommand(),
			m.diffCommand(),
			m.suggestCommand(),
			m.rulesCommand(),
			m.explainCommand(),
			m.versionCommand(),
			m.completionCommand(),
		},
	}
}

// onUsageError turns urfave/cli's flag errors ("flag provided but not
// defined: -x", "invalid value ...") into a usageError instead of printing
// the whole help page.
func onUsageError(helpCmd string) cli.OnUsageErrorFunc {
	return func(c *cli.Context, err error, _ bool) error {
		return &usageError{err.Error() + flagSuggestion(c.App, helpCmd, err), fmt.Sprintf("Run '%s' for usage.", helpCmd)}
	}
}

// permuteFlags moves flags given after the paths of a command in front of
// them: "check dist/ --format json" means what it says, although Go's flag
// package (under urfave/cli v2) stops at the first non-flag argument.
// Everything after "--" stays a path, so "check -- -odd.js" still works.
func permuteFlags(app *cli.App, args []string) []string {
	if len(args) < 3 {
		return args
	}
	cmd := app.Command(args[1])
	if cmd == nil || len(cmd.Flags) == 0 {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, name := range f.Names() {
			takesValue[name] = !isBool
		}
	}
	var flags, paths []string
	help := false
	rest := args[2:]
	for i := 0; i < len(rest); i++ {
		a := rest[i]
		switch {
		case a == "--":
			paths = append(paths, rest[i+1:]...)
			i = len(rest)
		case len(a) > 1 && a[0] == '-':
			flags = append(flags, a)
			name := strings.TrimLeft(a, "-")
			help = help || name == "h" || name == "help"
			if !strings.Contains(name, "=") && takesValue[name] && i+1 < len(rest) {
				i++
				flags = append(flags, rest[i])
			}
		default:
			paths = append(paths, a)
		}
	}
	out := append([]string{}, args[:2]...)
	out = append(out, flags...)
	// With -h, urfave/cli would take the first path for a help topic.
	if len(paths) > 0 && !help {
		out = append(out, "--")
		out = append(out, paths...)
	}
	return out
}
