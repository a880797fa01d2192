package main

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"testing"

	"github.com/manglecheck/manglecheck/analyzer/config"
	"github.com/manglecheck/manglecheck/rules"
)

// The published JSON schema (npm/manglecheck/schema.json, shipped in the
// npm package for "$schema") names exactly the keys config accepts and the
// IDs of every rule and engine diagnostic, and every documented level.
func TestSchemaMatchesConfig(t *testing.T) {
	data, err := os.ReadFile("../../npm/manglecheck/schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Properties map[string]struct {
			Enum          []string `json:"enum"`
			PropertyNames struct {
				Enum []string `json:"enum"`
			} `json:"propertyNames"`
		} `json:"properties"`
		Definitions map[string]struct {
			Enum []string `json:"enum"`
		} `json:"definitions"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		t.Fatal(err)
	}
	var keys []string
	for k := range schema.Properties {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if !reflect.DeepEqual(keys, config.Keys()) {
		t.Errorf("schema keys %q, config keys %q", keys, config.Keys())
	}
	m := &command{rules: rules.All()}
	ids := m.knownIDs()
	slices.Sort(ids)
	got := slices.Sorted(slices.Values(schema.Properties["rules"].PropertyNames.Enum))
	if !reflect.DeepEqual(got, ids) {
		t.Errorf("schema rule IDs %q, want %q", got, ids)
	}
	// Every level and failOn value the schema allows parses.
	for _, l := range schema.Definitions["level"].Enum {
		if _, err := config.Parse([]byte(`{"rules": {"name-key": "` + l + `"}}`)); err != nil {
			t.Errorf("level %q: %v", l, err)
		}
	}
	for _, v := range schema.Properties["failOn"].Enum {
		if _, err := config.Parse([]byte(`{"failOn": "` + v + `"}`)); err != nil {
			t.Errorf("failOn %q: %v", v, err)
		}
	}
}
