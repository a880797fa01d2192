// Package sarifcheck validates SARIF 2.1.0 logs structurally, for tests:
// the reporters' golden tests and the CLI's end-to-end tests use it.
package sarifcheck

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
)

// A structural validator for SARIF 2.1.0, hand-written from the OASIS
// schema (sarif-schema-2.1.0.json, errata01) for every object manglecheck
// emits: each definition lists all the properties the schema allows (the
// schema says additionalProperties: false everywhere but propertyBag),
// their types, enums and minimums, and the required ones (including the
// schema's anyOf-of-required alternatives). Properties of types we never
// emit (codeFlows, graphs, …) are allowed but not descended into ("any").
// The schema file itself is not vendored; the definitions below are
// reproduced from it and from the spec text.
//
// Property specs: string, int, int>=N, bool, number, uri, uri-ref,
// enum(a|b), @def, []spec, {}spec (an object of spec values), any.
var sarifDefs = map[string]sarifDef{
	"sarifLog": {props: `$schema:uri version:enum(2.1.0) runs:[]@run inlineExternalProperties:any properties:@propertyBag`,
		required: "version runs"},
	"run": {props: `tool:@tool invocations:[]@invocation conversion:any language:string versionControlProvenance:any
		originalUriBaseIds:{}@artifactLocation artifacts:[]@artifact logicalLocations:any graphs:any results:[]@result
		automationDetails:any runAggregates:any baselineGuid:string redactionTokens:[]string defaultEncoding:string
		defaultSourceLanguage:string newlineSequences:[]string columnKind:enum(utf16CodeUnits|unicodeCodePoints)
		externalPropertyFileReferences:any threadFlowLocations:any taxonomies:any addresses:any translations:any
		policies:any webRequests:any webResponses:any specialLocations:any properties:@propertyBag`,
		required: "tool"},
	"tool": {props: `driver:@toolComponent extensions:[]@toolComponent properties:@propertyBag`, required: "driver"},
	"toolComponent": {props: `guid:string name:string organization:string product:string productSuite:string
		shortDescription:@multiformatMessageString fullDescription:@multiformatMessageString fullName:string
		version:string semanticVersion:string dottedQuadFileVersion:string releaseDateUtc:string downloadUri:uri
		informationUri:uri globalMessageStrings:{}@multiformatMessageString notifications:[]@reportingDescriptor
		rules:[]@reportingDescriptor taxa:[]@reportingDescriptor locations:[]@artifactLocation language:string
		contents:any isComprehensive:bool localizedDataSemanticVersion:string
		minimumRequiredLocalizedDataSemanticVersion:string associatedComponent:any translationMetadata:any
		supportedTaxonomies:any properties:@propertyBag`,
		required: "name"},
	"reportingDescriptor": {props: `id:string deprecatedIds:[]string guid:string deprecatedGuids:[]string name:string
		deprecatedNames:[]string shortDescription:@multiformatMessageString fullDescription:@multiformatMessageString
		messageStrings:{}@multiformatMessageString defaultConfiguration:@reportingConfiguration helpUri:uri
		help:@multiformatMessageString relationships:any properties:@propertyBag`,
		required: "id"},
	"reportingConfiguration": {props: `enabled:bool level:enum(none|note|warning|error) rank:number
		parameters:@propertyBag properties:@propertyBag`},
	"multiformatMessageString": {props: `text:string markdown:string properties:@propertyBag`, required: "text"},
	"message": {props: `text:string markdown:string id:string arguments:[]string properties:@propertyBag`,
		anyOf: "text|id"},
	"invocation": {props: `commandLine:string arguments:[]string responseFiles:[]@artifactLocation startTimeUtc:string
		endTimeUtc:string exitCode:int ruleConfigurationOverrides:any notificationConfigurationOverrides:any
		toolExecutionNotifications:[]@notification toolConfigurationNotifications:[]@notification
		exitCodeDescription:string exitSignalName:string exitSignalNumber:int processStartFailureMessage:string
		executionSuccessful:bool machine:string account:string processId:int executableLocation:@artifactLocation
		workingDirectory:@artifactLocation environmentVariables:{}string stdin:@artifactLocation
		stdout:@artifactLocation stderr:@artifactLocation stdoutStderr:@artifactLocation properties:@propertyBag`,
		required: "executionSuccessful"},
	"notification": {props: `locations:[]@location message:@message level:enum(none|note|warning|error)
		threadId:int timeUtc:string exception:any descriptor:any associatedRule:any properties:@propertyBag`,
		required: "message"},
	"result": {props: `ruleId:string ruleIndex:int>=-1 rule:any
		kind:enum(notApplicable|pass|fail|review|open|informational) level:enum(none|note|warning|error)
		message:@message analysisTarget:@artifactLocation locations:[]@location guid:string correlationGuid:string
		occurrenceCount:int>=1 partialFingerprints:{}string fingerprints:{}string stacks:any codeFlows:any
		graphs:any graphTraversals:any relatedLocations:[]@location suppressions:any
		baselineState:enum(new|unchanged|updated|absent) rank:number attachments:any hostedViewerUri:uri
		workItemUris:[]uri provenance:any fixes:any taxa:any webRequest:any webResponse:any properties:@propertyBag`,
		required: "message"},
	"location": {props: `id:int>=-1 physicalLocation:@physicalLocation logicalLocations:any message:@message
		annotations:[]@region relationships:any properties:@propertyBag`},
	"physicalLocation": {props: `address:any artifactLocation:@artifactLocation region:@region contextRegion:@region
		properties:@propertyBag`,
		anyOf: "address|artifactLocation"},
	"artifact": {props: `description:@message location:@artifactLocation parentIndex:int>=-1 offset:int>=0 length:int>=-1
		roles:[]string mimeType:string contents:any encoding:string sourceLanguage:string hashes:any
		lastModifiedTimeUtc:string properties:@propertyBag`},
	"artifactLocation": {props: `uri:uri-ref uriBaseId:string index:int>=-1 description:@message properties:@propertyBag`},
	"region": {props: `startLine:int>=1 startColumn:int>=1 endLine:int>=1 endColumn:int>=1 charOffset:int>=-1
		charLength:int>=0 byteOffset:int>=-1 byteLength:int>=0 snippet:@artifactContent message:@message
		sourceLanguage:string properties:@propertyBag`,
		anyOf: "startLine|charOffset|byteOffset"},
	"artifactContent": {props: `text:string binary:string rendered:@multiformatMessageString properties:@propertyBag`},
	"propertyBag":     {props: `tags:[]string`, open: true},
}

type sarifDef struct {
	props    string // name:spec, whitespace-separated
	required string // names, space-separated
	anyOf    string // alternatives of a single required property, |-separated
	open     bool   // additional properties allowed
}

// Validate checks a SARIF document and returns every violation, each with
// its JSON path; none means valid.
func Validate(data []byte) []string {
	var doc any
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return []string{err.Error()}
	}
	v := &sarifValidator{}
	v.spec("$", "@sarifLog", doc)
	return v.errs
}

type sarifValidator struct{ errs []string }

func (v *sarifValidator) fail(where, format string, args ...any) {
	v.errs = append(v.errs, where+": "+fmt.Sprintf(format, args...))
}

var (
	intSpec   = regexp.MustCompile(`^int(?:>=(-?\d+))?$`)
	enumSpec  = regexp.MustCompile(`^enum\((.*)\)$`)
	uriScheme = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

func (v *sarifValidator) spec(where, spec string, val any) {
	switch {
	case spec == "any":
	case strings.HasPrefix(spec, "@"):
		v.object(where, spec[1:], val)
	case strings.HasPrefix(spec, "[]"):
		arr, ok := val.([]any)
		if !ok {
			v.fail(where, "want an array, got %T", val)
			return
		}
		for i, x := range arr {
			v.spec(fmt.Sprintf("%s[%d]", where, i), spec[2:], x)
		}
	case strings.HasPrefix(spec, "{}"):
		obj, ok := val.(map[string]any)
		if !ok {
			v.fail(where, "want an object, got %T", val)
			return
		}
		for _, k := range sortedKeys(obj) {
			v.spec(where+"."+k, spec[2:], obj[k])
		}
	case spec == "string", spec == "uri", spec == "uri-ref":
		s, ok := val.(string)
		if !ok {
			v.fail(where, "want a string, got %T", val)
			return
		}
		if spec != "string" {
			u, err := url.Parse(s)
			switch {
			case err != nil || strings.ContainsAny(s, " \t\n\\"):
				v.fail(where, "%q is not a URI reference", s)
			case spec == "uri" && (u.Scheme == "" || !uriScheme.MatchString(s)):
				v.fail(where, "%q is not an absolute URI", s)
			}
		}
	case spec == "bool":
		if _, ok := val.(bool); !ok {
			v.fail(where, "want a boolean, got %T", val)
		}
	case spec == "number":
		if _, ok := val.(json.Number); !ok {
			v.fail(where, "want a number, got %T", val)
		}
	case intSpec.MatchString(spec):
		n, ok := val.(json.Number)
		i, err := n.Int64()
		if !ok || err != nil {
			v.fail(where, "want an integer, got %v", val)
			return
		}
		if m := intSpec.FindStringSubmatch(spec); m[1] != "" {
			var min int64
			fmt.Sscan(m[1], &min)
			if i < min {
				v.fail(where, "%d is below the minimum %d", i, min)
			}
		}
	case enumSpec.MatchString(spec):
		s, _ := val.(string)
		allowed := strings.Split(enumSpec.FindStringSubmatch(spec)[1], "|")
		if !contains(allowed, s) {
			v.fail(where, "%v is not one of %v", val, allowed)
		}
	default:
		panic("bad spec " + spec)
	}
}

func (v *sarifValidator) object(where, name string, val any) {
	def, ok := sarifDefs[name]
	if !ok {
		panic("no definition " + name)
	}
	obj, ok := val.(map[string]any)
	if !ok {
		v.fail(where, "want a %s object, got %T", name, val)
		return
	}
	props := map[string]string{}
	for _, f := range strings.Fields(def.props) {
		k, s, _ := strings.Cut(f, ":")
		props[k] = s
	}
	for _, req := range strings.Fields(def.required) {
		if _, ok := obj[req]; !ok {
			v.fail(where, "%s requires %q", name, req)
		}
	}
	if def.anyOf != "" {
		found := false
		for _, alt := range strings.Split(def.anyOf, "|") {
			_, ok := obj[alt]
			found = found || ok
		}
		if !found {
			v.fail(where, "%s requires one of %s", name, def.anyOf)
		}
	}
	for _, k := range sortedKeys(obj) {
		s, ok := props[k]
		if !ok {
			if !def.open {
				v.fail(where, "%s has no property %q", name, k)
			}
			continue
		}
		v.spec(where+"."+k, s, obj[k])
	}
}

func sortedKeys(m map[string]any) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
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
