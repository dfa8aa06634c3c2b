package waivers

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

// The documented example, as written.
const example = `schema: lockdown.waivers/v1
waivers:
  - check: LD-ADM-03                 # or control: cis-aws-5.0/1.15
    resource: "arn:aws:iam::123456789012:role/BreakGlass*"   # exact ARN or glob; or tag: {team: platform}
    reason: break-glass role, reviewed quarterly
    owner: secops@example.com
    expires: 2027-03-01
    ticket: https://tracker.example.com/SEC-123           # optional
  - control: cis-aws-5.0/1.15
    tag: {team: platform}
    reason: platform users keep inline policies
    owner: alice
    expires: 2026-12-31
`

var ref = time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)

func TestParseExample(t *testing.T) {
	f, err := Parse("w.yaml", []byte(example))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Entries) != 2 {
		t.Fatalf("%d entries", len(f.Entries))
	}
	e := f.Entries[0]
	want := findings.Waiver{Check: "LD-ADM-03", Resource: "arn:aws:iam::123456789012:role/BreakGlass*", Reason: "break-glass role, reviewed quarterly",
		Owner: "secops@example.com", Expires: "2027-03-01", Ticket: "https://tracker.example.com/SEC-123", Line: 3}
	if got := e.Waiver; got.Check != want.Check || got.Resource != want.Resource || got.Reason != want.Reason || got.Owner != want.Owner ||
		got.Expires != want.Expires || got.Ticket != want.Ticket || got.Line != want.Line || got.Tag != nil {
		t.Errorf("entry 0 = %+v, want %+v", got, want)
	}
	e = f.Entries[1]
	if e.Control != "cis-aws-5.0/1.15" || e.Tag["team"] != "platform" || len(e.Tag) != 1 || e.Line != 9 || e.Ticket != "" {
		t.Errorf("entry 1 = %+v", e.Waiver)
	}
	if err := f.Validate(ref, DefaultMaxDays); err != nil {
		t.Errorf("Validate: %v", err)
	}
}

// Every malformed file names the file, the line and the field.
func TestParseErrors(t *testing.T) {
	head := "schema: lockdown.waivers/v1\nwaivers:\n"
	entry := func(lines ...string) string { return head + "  - " + strings.Join(lines, "\n    ") + "\n" }
	ok := []string{"check: LD-ADM-03", "resource: arn:aws:iam::1:role/x", "reason: r", "owner: o", "expires: 2027-01-01"}
	without := func(i int) []string { return append(append([]string{}, ok[:i]...), ok[i+1:]...) }
	cases := []struct {
		name, doc string
		line      int
		field     string
		problem   string
	}{
		{"empty", "", 0, "", "empty file"},
		{"syntax", "schema: [\n", 1, "", "did not find"},
		{"not a mapping", "- a\n", 1, "document", "want a mapping"},
		{"no schema", "waivers: []\n", 1, "schema", "missing"},
		{"wrong schema", "schema: lockdown.waivers/v2\nwaivers: []\n", 1, "schema", "not supported"},
		{"unknown top key", head + "extra: 1\n", 3, "extra", "unknown field"},
		{"no waivers", "schema: lockdown.waivers/v1\n", 1, "waivers", "missing"},
		{"waivers not a list", "schema: lockdown.waivers/v1\nwaivers: {}\n", 2, "waivers", "want a list"},
		{"unknown key", entry(append(ok, "approved: yes")...), 8, "waivers[0].approved", "unknown field"},
		{"misspelt key", entry("check: LD-ADM-03", "resource: x", "reason: r", "owner: o", "expiry: 2027-01-01"), 7, "waivers[0].expiry", "unknown field"},
		{"duplicate key", entry(append(ok, "owner: p")...), 8, "waivers[0].owner", "given twice"},
		{"no reason", entry(without(2)...), 3, "waivers[0].reason", "missing"},
		{"empty reason", entry("check: LD-ADM-03", "resource: x", "reason: \"  \"", "owner: o", "expires: 2027-01-01"), 5, "waivers[0].reason", "non-empty"},
		{"null owner", entry("check: LD-ADM-03", "resource: x", "reason: r", "owner:", "expires: 2027-01-01"), 6, "waivers[0].owner", "non-empty"},
		{"no owner", entry(without(3)...), 3, "waivers[0].owner", "missing"},
		{"no expires", entry(without(4)...), 3, "waivers[0].expires", "missing"},
		{"bad date", entry("check: LD-ADM-03", "resource: x", "reason: r", "owner: o", "expires: 2027-02-30"), 7, "waivers[0].expires", "YYYY-MM-DD"},
		{"timestamp", entry("check: LD-ADM-03", "resource: x", "reason: r", "owner: o", "expires: 2027-02-01T00:00:00Z"), 7, "waivers[0].expires", "YYYY-MM-DD"},
		{"no check", entry(without(0)...), 3, "waivers[0].check", "missing"},
		{"check and control", entry(append(ok, "control: cis-aws-5.0/1.15")...), 8, "waivers[0].control", "not both"},
		{"bad control", entry("control: 1.15", "resource: x", "reason: r", "owner: o", "expires: 2027-01-01"), 3, "waivers[0].control", "FRAMEWORK/CONTROL"},
		{"no resource", entry(without(1)...), 3, "waivers[0].resource", "missing"},
		{"resource and tag", entry(append(ok, "tag: {a: b}")...), 8, "waivers[0].tag", "not both"},
		{"empty tag", entry("check: x", "tag: {}", "reason: r", "owner: o", "expires: 2027-01-01"), 4, "waivers[0].tag", "mapping"},
		{"tag list", entry("check: x", "tag: [a]", "reason: r", "owner: o", "expires: 2027-01-01"), 4, "waivers[0].tag", "mapping"},
		{"nested tag", entry("check: x", "tag: {a: {b: c}}", "reason: r", "owner: o", "expires: 2027-01-01"), 4, "waivers[0].tag.a", "string"},
		{"list reason", entry("check: x", "resource: x", "reason: [a]", "owner: o", "expires: 2027-01-01"), 5, "waivers[0].reason", "string"},
		{"second entry", head + "  - " + strings.Join(ok, "\n    ") + "\n  - check: y\n", 8, "waivers[1].resource", "missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse("w.yaml", []byte(c.doc))
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want *Error", err)
			}
			if e.File != "w.yaml" || e.Line != c.line || e.Field != c.field || !strings.Contains(e.Problem, c.problem) {
				t.Errorf("err = %#v (%v), want line %d field %q problem ~%q", e, err, c.line, c.field, c.problem)
			}
			if !strings.HasPrefix(err.Error(), "w.yaml") {
				t.Errorf("error does not start with the file: %v", err)
			}
		})
	}
}

func TestValidateMaxDays(t *testing.T) {
	doc := func(exp string) []byte {
		return []byte("schema: lockdown.waivers/v1\nwaivers:\n  - check: a\n    resource: b\n    reason: r\n    owner: o\n    expires: " + exp + "\n")
	}
	for _, c := range []struct {
		exp     string
		maxDays int
		ok      bool
	}{
		{"2027-11-27", 365, true},  // exactly 365 days after the reference day
		{"2027-11-28", 365, false}, // one more
		{"2026-12-27", 30, true},
		{"2026-12-28", 30, false},
		{"2020-01-01", 365, true}, // long expired: allowed, it just no longer applies
	} {
		f, err := Parse("w.yaml", doc(c.exp))
		if err != nil {
			t.Fatal(err)
		}
		err = f.Validate(ref, c.maxDays)
		if (err == nil) != c.ok {
			t.Errorf("expires %s, max %d: err = %v, want ok %v", c.exp, c.maxDays, err, c.ok)
		}
		var e *Error
		if err != nil && (!errors.As(err, &e) || e.Line != 3 || e.Field != "waivers[0].expires" || !strings.Contains(err.Error(), "--waiver-max-days")) {
			t.Errorf("error %v does not name line 3, the field and the flag", err)
		}
	}
}

func TestExpired(t *testing.T) {
	e := Entry{expires: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)}
	if e.Expired(time.Date(2026, 11, 27, 23, 59, 0, 0, time.UTC)) {
		t.Error("a waiver is in force through its expiry day")
	}
	if !e.Expired(time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)) {
		t.Error("a waiver has expired the day after")
	}
	// The day is the UTC day.
	if !e.Expired(time.Date(2026, 11, 27, 23, 0, 0, 0, time.FixedZone("m", -2*3600))) {
		t.Error("23:00 at UTC-2 is the next UTC day")
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		p, s string
		ok   bool
	}{
		{"arn:aws:iam::1:role/BreakGlass*", "arn:aws:iam::1:role/BreakGlass", true},
		{"arn:aws:iam::1:role/BreakGlass*", "arn:aws:iam::1:role/BreakGlassAdmin", true},
		{"arn:aws:iam::1:role/*", "arn:aws:iam::1:role/ops/BreakGlass", true},
		{"arn:aws:iam::1:role/BreakGlass*", "arn:aws:iam::1:role/breakglass", false},
		{"arn:aws:iam::1:role/BreakGlass", "arn:aws:iam::1:role/BreakGlassX", false},
		{"arn:aws:iam::1:role/BreakGlass", "arn:aws:iam::1:role/BreakGlass", true},
		{"arn:aws:iam::?:role/x", "arn:aws:iam::1:role/x", true},
		{"arn:aws:iam::?:role/x", "arn:aws:iam::12:role/x", false},
		{"*a*b*", "xxaxxbxx", true},
		{"*a*b", "xxaxxbxxc", false},
		{"[ab]", "a", false}, // no classes: brackets are literal
		{"[ab]", "[ab]", true},
		{"*", "", true},
		{"", "x", false},
	} {
		if got := Glob(c.p, c.s); got != c.ok {
			t.Errorf("Glob(%q, %q) = %v, want %v", c.p, c.s, got, c.ok)
		}
	}
}

func results() []findings.Result {
	return []findings.Result{
		{CheckID: "LD-ADM-03", Status: findings.Fail, Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:role/BreakGlassAdmin"}},
		{CheckID: "LD-ADM-03", Status: findings.Fail, Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:role/Deploy"}},
		{CheckID: "LD-ADM-03", Status: findings.NotAssessed, Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:role/BreakGlassOther"}},
		{CheckID: "LD-ADM-03", Status: findings.Pass, Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:role/BreakGlassOK"}},
		{CheckID: "LD-POL-01", Status: findings.Fail, Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:user/carol"},
			Controls: map[string][]string{"cis-aws-5.0": {"1.15"}}},
		{CheckID: "LD-POL-01", Status: findings.Fail, Resource: findings.Resource{ARN: "arn:aws:iam::123456789012:user/dave"},
			Controls: map[string][]string{"cis-aws-5.0": {"1.15"}}},
	}
}

func tagsOf(arn string) map[string]string {
	if strings.HasSuffix(arn, "user/carol") {
		return map[string]string{"team": "platform", "env": "prod"}
	}
	if strings.HasSuffix(arn, "user/dave") {
		return map[string]string{"team": "data"}
	}
	return nil
}

func TestApply(t *testing.T) {
	f, err := Parse("w.yaml", []byte(example+`  - check: ld-adm-03
    resource: arn:aws:iam::123456789012:role/Deploy
    reason: old
    owner: bob
    expires: 2026-11-26
  - check: LD-ADM-03
    resource: arn:aws:iam::123456789012:role/Nobody
    reason: unused
    owner: bob
    expires: 2027-01-01
`))
	if err != nil {
		t.Fatal(err)
	}
	rs := results()
	unused := f.Apply(rs, ref, tagsOf)
	// 0: in force, by glob.
	if w := rs[0].Waiver; w == nil || w.Expired || w.Owner != "secops@example.com" || w.Line != 3 || !rs[0].Waived() {
		t.Errorf("BreakGlassAdmin: waiver %+v", w)
	}
	// 1: only an expired waiver (expired the day before the reference day, matched in any case).
	if w := rs[1].Waiver; w == nil || !w.Expired || w.Owner != "bob" || rs[1].Waived() {
		t.Errorf("Deploy: waiver %+v, want the expired one", w)
	}
	// 2, 3: NOT_ASSESSED and PASS are never touched, though the glob covers them.
	if rs[2].Waiver != nil || rs[2].Status != findings.NotAssessed || rs[3].Waiver != nil || rs[3].Status != findings.Pass {
		t.Errorf("a waiver changed a result that is not a FAIL: %+v %+v", rs[2], rs[3])
	}
	// 4: control + tag; 5: the tag does not match.
	if w := rs[4].Waiver; w == nil || w.Control != "cis-aws-5.0/1.15" || rs[4].Status != findings.Fail {
		t.Errorf("carol: waiver %+v", w)
	}
	if rs[5].Waiver != nil {
		t.Errorf("dave (team data) waived: %+v", rs[5].Waiver)
	}
	if len(unused) != 1 || unused[0].Resource != "arn:aws:iam::123456789012:role/Nobody" {
		t.Errorf("unused = %+v", unused)
	}
	if !strings.Contains(unused[0].Describe(), "line 19") {
		t.Errorf("Describe = %q", unused[0].Describe())
	}
	// The attached waiver is a copy: changing it leaves the file alone.
	rs[4].Waiver.Tag["team"] = "x"
	if f.Entries[1].Tag["team"] != "platform" {
		t.Error("the attached waiver shares the entry's tags")
	}
	// The first entry in force wins over an expired one listed first.
	g, err := Parse("w.yaml", []byte(`schema: lockdown.waivers/v1
waivers:
  - {check: LD-ADM-03, resource: "*Deploy", reason: old, owner: a, expires: 2020-01-01}
  - {check: LD-ADM-03, resource: "*Deploy", reason: new, owner: b, expires: 2027-01-01}
`))
	if err != nil {
		t.Fatal(err)
	}
	rs = results()
	g.Apply(rs, ref, nil)
	if w := rs[1].Waiver; w == nil || w.Expired || w.Reason != "new" {
		t.Errorf("Deploy: %+v, want the waiver in force", w)
	}
	// A control the result does not decide, and a tag waiver without a lookup, match nothing.
	h, err := Parse("w.yaml", []byte(`schema: lockdown.waivers/v1
waivers:
  - {control: cis-aws-5.0/1.16, resource: "*", reason: r, owner: a, expires: 2027-01-01}
  - {check: LD-POL-01, tag: {team: platform}, reason: r, owner: a, expires: 2027-01-01}
`))
	if err != nil {
		t.Fatal(err)
	}
	rs = results()
	if unused := h.Apply(rs, ref, nil); len(unused) != 2 {
		t.Errorf("unused = %d, want 2", len(unused))
	}
	for _, r := range rs {
		if r.Waiver != nil {
			t.Errorf("%s %s waived", r.CheckID, r.Resource.ARN)
		}
	}
}

// The published schema accepts what Parse accepts and refuses what it
// refuses, on the example and on a few malformed files.
func TestSchemaAgreesWithParse(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(SchemaJSON))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("waivers.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("waivers.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range []string{
		example,
		"schema: lockdown.waivers/v1\nwaivers: []\n",
		"schema: lockdown.waivers/v2\nwaivers: []\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {check: a, resource: b, reason: r, owner: o}\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {check: a, resource: b, reason: r, owner: o, expires: 2027-01-01, extra: 1}\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {check: a, control: x/1, resource: b, reason: r, owner: o, expires: 2027-01-01}\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {check: a, resource: b, tag: {a: b}, reason: r, owner: o, expires: 2027-01-01}\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {check: a, reason: r, owner: o, expires: 2027-01-01}\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {control: nofw, resource: b, reason: r, owner: o, expires: 2027-01-01}\n",
		"schema: lockdown.waivers/v1\nwaivers:\n  - {check: a, resource: b, reason: \" \", owner: o, expires: 2027-01-01}\n",
	} {
		var n yaml.Node
		if err := yaml.Unmarshal([]byte(d), &n); err != nil {
			t.Fatal(err)
		}
		data, _ := json.Marshal(plain(n.Content[0]))
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		schemaErr := sch.Validate(v)
		_, parseErr := Parse("w.yaml", []byte(d))
		if (schemaErr == nil) != (parseErr == nil) {
			t.Errorf("%s: schema says %v, Parse says %v", d, schemaErr, parseErr)
		}
	}
}

// plain is a YAML node as JSON values, every scalar a string (as a
// waivers file's values are).
func plain(n *yaml.Node) any {
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = plain(n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, plain(c))
		}
		return l
	}
	return n.Value
}
