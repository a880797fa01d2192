// Package sarifcheck validates SARIF 2.1.0 logs, for tests: the reporters'
// golden tests and the CLI's end-to-end tests use it.
package sarifcheck

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// schemaJSON is the official SARIF 2.1.0 JSON schema (testdata/README.md
// says where it comes from). A validator written by the author of the
// SARIF writer would share the writer's misreadings; the schema and a
// maintained JSON-schema validator do not.
//
//go:embed testdata/sarif-schema-2.1.0.json
var schemaJSON []byte

const schemaURL = "sarif-schema-2.1.0.json"

var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schemaJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat() // "uri", "date-time": the schema's formats are part of SARIF
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(schemaURL)
})

// Validate checks a SARIF document against the SARIF 2.1.0 schema and
// returns every violation, each with its JSON pointer; none means valid.
func Validate(data []byte) []string {
	s, err := schema()
	if err != nil {
		return []string{"the SARIF schema: " + err.Error()}
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return []string{err.Error()}
	}
	err = s.Validate(doc)
	var ve *jsonschema.ValidationError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &ve):
		return []string{err.Error()}
	}
	var out []string
	en := message.NewPrinter(language.English)
	var leaves func(e *jsonschema.ValidationError)
	leaves = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			out = append(out, fmt.Sprintf("/%s: %s", strings.Join(e.InstanceLocation, "/"), e.ErrorKind.LocalizedString(en)))
		}
		for _, c := range e.Causes {
			leaves(c)
		}
	}
	leaves(ve)
	return out
}

// CodeScanning checks what GitHub code scanning needs beyond the schema
// (docs.github.com, "SARIF support for code scanning"): one run with a
// tool.driver.name; rule descriptors with unique IDs; every result with a
// ruleId whose ruleIndex points at that descriptor, a message text, and
// exactly one location with an artifact URI and a start line (results
// without one are dropped on upload), and partialFingerprints.
func CodeScanning(data []byte) []string {
	var log struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				RuleIndex *int
				Message   struct{ Text string }
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           *struct{ StartLine int }
					}
				}
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(data, &log); err != nil {
		return []string{err.Error()}
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, fmt.Sprintf(format, args...)) }
	if len(log.Runs) != 1 {
		fail("want 1 run, got %d", len(log.Runs))
		return errs
	}
	run := log.Runs[0]
	if run.Tool.Driver.Name == "" {
		fail("tool.driver.name is empty")
	}
	ids := map[string]bool{}
	for _, r := range run.Tool.Driver.Rules {
		if ids[r.ID] {
			fail("rule %q described twice", r.ID)
		}
		ids[r.ID] = true
	}
	for i, r := range run.Results {
		where := fmt.Sprintf("results[%d]", i)
		if r.RuleID == "" || r.RuleIndex == nil || *r.RuleIndex < 0 || *r.RuleIndex >= len(run.Tool.Driver.Rules) ||
			run.Tool.Driver.Rules[*r.RuleIndex].ID != r.RuleID {
			fail("%s: ruleId %q and ruleIndex do not name a descriptor", where, r.RuleID)
		}
		if r.Message.Text == "" {
			fail("%s: no message text", where)
		}
		if len(r.Locations) != 1 {
			fail("%s: want 1 location, got %d", where, len(r.Locations))
			continue
		}
		pl := r.Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI == "" || pl.Region == nil || pl.Region.StartLine < 1 {
			fail("%s: the location needs an artifact URI and a start line", where)
		}
		if len(r.PartialFingerprints) == 0 {
			fail("%s: no partialFingerprints", where)
		}
	}
	return errs
}
