package rules_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evanw/esbuild/pkg/api"

	"github.com/manglecheck/manglecheck/analyzer"
	"github.com/manglecheck/manglecheck/analyzer/checker"
	"github.com/manglecheck/manglecheck/fixtures/testfiles"
	"github.com/manglecheck/manglecheck/rules"
)

// checkPackageApp builds a TypeScript app whose packages stay external
// (require in an IIFE, import in an ES module), minified with or without
// keepNames, and returns what rs find with and without its map.
func checkPackageApp(t *testing.T, src string, format api.Format, keepNames bool, rs ...*analyzer.Rule) (withMap, noMap []analyzer.Finding) {
	t.Helper()
	dir := t.TempDir()
	testfiles.Write(t, dir, map[string]string{"app.ts": src})
	out := filepath.Join(dir, "out", "app.js")
	res := api.Build(api.BuildOptions{
		EntryPoints: []string{filepath.Join(dir, "app.ts")}, Bundle: true, Outfile: out, Format: format,
		Packages: api.PackagesExternal, Platform: api.PlatformNode,
		TsconfigRaw: `{"compilerOptions":{"experimentalDecorators":true}}`,
		Sourcemap:   api.SourceMapLinked, KeepNames: keepNames,
		MinifyWhitespace: true, MinifyIdentifiers: true, MinifySyntax: true,
		Write: true, LogLevel: api.LogLevelSilent,
	})
	if len(res.Errors) > 0 {
		t.Fatal(res.Errors[0].Text)
	}
	for _, sm := range []string{"", "none"} {
		got, err := checker.Check(context.Background(), []string{out}, checker.Options{Rules: rs, Workers: 1, SourceMap: sm})
		if err != nil {
			t.Fatal(err)
		}
		if got.Failed() {
			t.Fatalf("not analyzed: %s", *got.Files[0].Error)
		}
		if sm == "" {
			withMap = got.Findings
		} else {
			noMap = got.Findings
		}
	}
	return withMap, noMap
}

// The registries of external packages keyed by class names: a literal
// name the bundle asks the package for, which no registered class
// carries once minified, is an error with and without a map, in an IIFE
// (require through esbuild's shim) and an ES module (import); keepNames,
// class references and explicit names are clean, and so is a package
// the model does not know.
func TestPackageRegistries(t *testing.T) {
	typeorm := `import { Entity, OneToMany, ManyToOne, PrimaryColumn } from "typeorm";
@Entity("space")
export class Space {
  @PrimaryColumn("text") id!: string;
  @OneToMany(%s, "space") activities!: any[];
}
@Entity("activity")
export class Activity {
  @PrimaryColumn("text") id!: string;
  @ManyToOne(%s, "activities") space!: Space;
}
console.log([Space, Activity].length);
`
	nest := `import { Module, Injectable, Inject } from "@nestjs/common";
@Injectable()
class TemplateService { render(n: string) { return "hi " + n; } }
@Injectable()
class MailerService {
  constructor(@Inject(%s) private templates: TemplateService) {}
}
const byName = (cls: any) => (%s);
@Module({ providers: [byName(TemplateService), byName(MailerService)] })
export class MailModule {}
`
	graphql := `import { ObjectType, Field } from "type-graphql";
@ObjectType(%s)
class Book { @Field() title!: string; }
@ObjectType(%s)
class Movie { @Field() title!: string; }
export function label(item: any) {
  switch (item.__typename) {
    case "Book": return "book " + item.title;
    case "Movie": return "movie " + item.title;
  }
  return item.__typename === "Query" ? "root" : "?";
}
console.log([Book, Movie].length);
`
	validator := `import { ValidatorConstraint, Validate, validateSync } from "class-validator";
@ValidatorConstraint(%s)
class StrongPassword { validate(v: string) { return /[A-Z]/.test(v); } }
export class Form { @Validate(StrongPassword) password!: string; }
const hints: Record<string, string> = { StrongPassword: "Add a capital letter", isEmail: "An e-mail" };
export function check(f: Form) {
  return validateSync(f).map((e) => Object.keys(e.constraints || {}).map((k) => hints[k]));
}
`
	for _, c := range []struct {
		name, src string
		rule      *analyzer.Rule
		want      []string // the literals flagged, in order
		mapOnly   bool     // only the map shows the break
	}{
		{"typeorm string targets", fmt.Sprintf(typeorm, `"Activity"`, `"Space"`), rules.NameKey, []string{"Activity", "Space"}, false},
		{"typeorm class targets", fmt.Sprintf(typeorm, `() => Activity`, `() => Space`), rules.NameKey, nil, false},
		{"typeorm table name target", fmt.Sprintf(typeorm, `"activity"`, `"space"`), rules.NameKey, nil, false},
		{"typeorm unknown package", strings.Replace(fmt.Sprintf(typeorm, `"Activity"`, `"Space"`), `"typeorm"`, `"my-orm"`, 1), rules.NameKey, nil, false},
		{"nest name tokens", fmt.Sprintf(nest, `"TemplateService"`, `{ provide: cls.name, useClass: cls }`), rules.NameKey, []string{"TemplateService"}, false},
		{"nest class tokens", fmt.Sprintf(nest, `TemplateService`, `{ provide: cls, useClass: cls }`), rules.NameKey, nil, false},
		{"nest explicit tokens", fmt.Sprintf(nest, `"TemplateService"`, `cls === TemplateService ? { provide: "TemplateService", useClass: cls } : { provide: cls.name, useClass: cls }`), rules.NameKey, nil, false},
		{"graphql derived names", fmt.Sprintf(graphql, ``, ``), rules.NameCompare, []string{"Book", "Movie"}, false},
		{"graphql explicit names", fmt.Sprintf(graphql, `"Book"`, `"Movie"`), rules.NameCompare, nil, false},
		{"validator derived names", fmt.Sprintf(validator, ``), rules.NameKey, []string{"StrongPassword"}, false},
		// Without a map the table shows it is keyed by constraints only
		// through one of class-validator's own constraint names.
		{"validator table of custom names", strings.Replace(fmt.Sprintf(validator, ``), `isEmail:`, `isWeak:`, 1), rules.NameKey, []string{"StrongPassword"}, true},
		// More stray entries than constraint classes: which one is not a
		// class the bundle does not tell.
		{"validator table with a fallback", strings.Replace(fmt.Sprintf(validator, ``), `isEmail:`, `Fallback: "?", isEmail:`, 1), rules.NameKey, []string{"StrongPassword"}, true},
		// A constraint registered under an explicit name elsewhere: the
		// second table's "Strong" entry is not flagged.
		{"validator name given elsewhere", strings.Replace(fmt.Sprintf(validator, ``), `export function check`, `export const other = { name: "Strong", validator: {} };
const extra: Record<string, string> = { Strong: "x", isEmail: "y" };
export const lookup = (k: string) => extra[k];
export function check`, 1), rules.NameKey, []string{"StrongPassword"}, false},
		{"validator explicit names", fmt.Sprintf(validator, `{ name: "StrongPassword" }`), rules.NameKey, nil, false},
		// uglify-js folds statements into the table's initializer.
		{"validator table after a sequence", strings.NewReplacer(`= { StrongPassword`, `= (console.debug("hints"), { StrongPassword`, `"An e-mail" };`, `"An e-mail" });`).Replace(fmt.Sprintf(validator, ``)), rules.NameKey, []string{"StrongPassword"}, false},
	} {
		for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
			for _, keep := range []bool{false, true} {
				name := fmt.Sprintf("%s/format%d/keepNames=%v", c.name, format, keep)
				want := c.want
				if keep {
					want = nil
				}
				withMap, noMap := checkPackageApp(t, c.src, format, keep, c.rule)
				for i, found := range [][]analyzer.Finding{withMap, noMap} {
					want := want
					if i == 1 && c.mapOnly {
						want = nil
					}
					var got []string
					for _, f := range found {
						if f.Severity != analyzer.Error || f.Rule != c.rule.ID {
							t.Errorf("%s: %s %s finding: %s", name, f.Severity, f.Rule, f.Message)
						}
						got = append(got, literalIn(f.Message))
					}
					if strings.Join(got, ",") != strings.Join(want, ",") {
						t.Errorf("%s (map %v): flagged %q, want %q", name, i == 0, got, want)
						logFindings(t, found)
					}
				}
			}
		}
	}
}

// literalIn returns the first quoted string of a message.
func literalIn(msg string) string {
	_, rest, _ := strings.Cut(msg, `"`)
	lit, _, _ := strings.Cut(rest, `"`)
	return lit
}

// TypeORM names an entity's table after its class unless @Entity gives a
// name: SQL that names the table the source class gives is an error with
// a map (the map says which class it was); without that evidence, or
// without a map, the renamed table is a warning; an explicit name and
// keepNames are clean.
func TestTypeORMTables(t *testing.T) {
	const app = `import { DataSource, Entity, PrimaryColumn } from "typeorm";
@Entity(%s)
export class OrderItem { @PrimaryColumn("text") id!: string; }
export async function report(db: DataSource) {
  return db.query(%s);
}
`
	for _, c := range []struct {
		name, entity, sql string
		withMap, noMap    string // severities
	}{
		{"sql names the source table", ``, `'SELECT id FROM "order_item" WHERE id > 1'`, "error", "warning"},
		{"no sql", ``, `"SELECT 1"`, "warning", "warning"},
		{"explicit name", `"order_item"`, `'SELECT id FROM "order_item"'`, "", ""},
	} {
		for _, format := range []api.Format{api.FormatIIFE, api.FormatESModule} {
			for _, keep := range []bool{false, true} {
				name := fmt.Sprintf("%s/format%d/keepNames=%v", c.name, format, keep)
				withMap, noMap := checkPackageApp(t, fmt.Sprintf(app, c.entity, c.sql), format, keep, rules.NameDerived)
				wantMap, wantNoMap := c.withMap, c.noMap
				if keep {
					wantMap, wantNoMap = "", ""
				}
				wantSeverities(t, name+" (map)", withMap, wantMap)
				wantSeverities(t, name+" (no map)", noMap, wantNoMap)
			}
		}
	}
}
