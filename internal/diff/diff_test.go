package diff

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

func res(check, arn string, st findings.Status, sev findings.Severity) findings.Result {
	return findings.Result{CheckID: check, Severity: sev, Status: st, Resource: findings.Resource{ARN: arn},
		Fingerprint: findings.Fingerprint(check, "1", arn, "")}
}

func fps[T any](list []T, at func(T) findings.Result) []string {
	var out []string
	for _, x := range list {
		r := at(x)
		out = append(out, r.CheckID+" "+r.Resource.ARN)
	}
	sort.Strings(out)
	return out
}

func TestCompare(t *testing.T) {
	const F, P, NA, NAp = findings.Fail, findings.Pass, findings.NotAssessed, findings.NotApplicable
	const hi, crit = findings.High, findings.Critical
	old := []findings.Result{
		res("PASS-FAIL", "a", P, hi),
		res("NA-FAIL", "a", NA, hi),
		res("FAIL-PASS", "a", F, hi),
		res("FAIL-NAPP", "a", F, hi),
		res("FAIL-GONE", "a", F, hi),
		res("FAIL-FAIL", "a", F, hi),
		res("SEV", "a", F, hi),
		res("PASS-NA", "a", P, hi),
		res("FAIL-NA", "a", F, hi),
		res("FAIL-GONE-CHECK-NA", "a", F, hi),
		res("PASS-GONE", "a", P, hi),
	}
	// An older report without fingerprints still matches.
	noFP := res("FAIL-FAIL", "b", F, hi)
	noFP.Fingerprint = ""
	old = append(old, noFP)
	cur := []findings.Result{
		res("NEW", "a", F, hi),
		res("PASS-FAIL", "a", F, hi),
		res("NA-FAIL", "a", F, hi),
		res("FAIL-PASS", "a", P, hi),
		res("FAIL-NAPP", "a", NAp, hi),
		res("FAIL-FAIL", "a", F, hi),
		res("FAIL-FAIL", "b", F, hi),
		res("SEV", "a", F, crit),
		res("PASS-NA", "a", NA, hi),
		res("FAIL-NA", "a", NA, hi),
		{CheckID: "FAIL-GONE-CHECK-NA", Status: NA, Severity: hi, Message: "source failed", Resource: findings.Resource{ARN: "account"}, Fingerprint: "x"},
	}
	old = append(old, res("FAIL-NOT-RUN", "a", F, hi))
	selected := []string{"NEW", "PASS-FAIL", "NA-FAIL", "FAIL-PASS", "FAIL-NAPP", "FAIL-GONE", "FAIL-FAIL", "SEV", "PASS-NA", "FAIL-NA", "FAIL-GONE-CHECK-NA"}
	added, fixed, changed := Compare("1", old, cur, selected)
	want := func(name string, got, want []string) {
		t.Helper()
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	id := func(r findings.Result) findings.Result { return r }
	want("new", fps(added, id), []string{"NA-FAIL a", "NEW a", "PASS-FAIL a"})
	want("fixed", fps(fixed, func(f FixedResult) findings.Result { return f.Result }), []string{"FAIL-GONE a", "FAIL-NAPP a", "FAIL-PASS a"})
	want("changed", fps(changed, func(c ChangedResult) findings.Result { return c.Result }),
		[]string{"FAIL-GONE-CHECK-NA a", "FAIL-NA a", "FAIL-NOT-RUN a", "PASS-NA a", "SEV a"})
	for _, f := range fixed {
		if f.Status != F {
			t.Errorf("fixed %s carries status %s, want the old FAIL", f.CheckID, f.Status)
		}
		if f.CheckID == "FAIL-GONE" && f.NowStatus != Absent {
			t.Errorf("FAIL-GONE now %s", f.NowStatus)
		}
	}
	for _, c := range changed {
		if c.CheckID == "SEV" && (c.OldSeverity != hi || c.Severity != crit) {
			t.Errorf("SEV: %s -> %s", c.OldSeverity, c.Severity)
		}
		if c.CheckID == "FAIL-NOT-RUN" && (c.Status != NA || !strings.Contains(c.Message, "not run")) {
			t.Errorf("a failure whose check did not run now: %+v", c)
		}
		if c.CheckID == "FAIL-GONE-CHECK-NA" && (c.Status != NA || c.Message != "source failed" || c.OldStatus != F) {
			t.Errorf("a failure whose check is not assessed now: %+v", c)
		}
	}
	for _, r := range added {
		if r.Fingerprint == "" {
			t.Error("a new result without fingerprint")
		}
	}
}

func loadSnap(t *testing.T, path string) *snapshot.Snapshot {
	t.Helper()
	s, _, err := snapshot.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func bundled(name string) string { return filepath.Join("..", "..", "testdata", "snapshots", name) }

func driftKeys(d []Drift) []string {
	var out []string
	for _, x := range d {
		out = append(out, x.Change+" "+x.Type+" "+x.ARN)
	}
	return out
}

func TestDriftBetweenBundledSnapshots(t *testing.T) {
	old := loadSnap(t, bundled("guide-compliant.json"))
	cur := loadSnap(t, filepath.Join("testdata", "drift-new.json"))
	drift, notCompared := ComputeDrift(old, cur)
	if len(notCompared) != 0 {
		t.Errorf("not compared: %v", notCompared)
	}
	want := []string{
		"added user " + malloryARN,
		"removed policy " + snapshottest.AssumeAdminRoleARN,
		"added policy " + renamedPolicyARN,
		"added attachment " + acct + "group/Administrators",
		"removed attachment " + acct + "group/Administrators",
		"added attachment " + malloryARN,
		"changed trust-policy " + snapshottest.AdminRoleARN,
		"added access-key " + snapshottest.AliceARN,
	}
	if got := driftKeys(drift); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("drift:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, x := range drift {
		switch {
		case x.Type == TypePolicy && x.Change == Added:
			if !strings.Contains(x.Detail, "same default document as removed "+snapshottest.AssumeAdminRoleARN) {
				t.Errorf("renamed policy: %q", x.Detail)
			}
		case x.Type == TypeTrustPolicy:
			if len(x.Statements) != 1 || x.Statements[0].Statement != "#1" || x.Statements[0].Change != Changed {
				t.Fatalf("trust statements: %+v", x.Statements)
			}
			st := x.Statements[0]
			if len(st.Elements) != 1 || st.Elements[0] != "Condition: Bool aws:MultiFactorAuthPresent [true] -> none" {
				t.Errorf("trust elements: %q", st.Elements)
			}
			if strings.Contains(st.New, "{\"") || strings.Contains(x.Detail, "{\"") {
				t.Errorf("statement written as JSON: %q", st.New)
			}
		case x.Type == TypeAccessKey:
			if !strings.Contains(x.Detail, "access key 2 of alice") || !strings.Contains(x.Detail, "active") {
				t.Errorf("access key: %q", x.Detail)
			}
		}
	}
	// The same snapshot twice: no drift at all.
	if same, _ := ComputeDrift(old, old); len(same) != 0 {
		t.Errorf("drift of a snapshot with itself: %v", driftKeys(same))
	}
}

func TestDriftGuideAsWrittenToCompliant(t *testing.T) {
	drift, _ := ComputeDrift(loadSnap(t, bundled("guide-as-written.json")), loadSnap(t, bundled("guide-compliant.json")))
	got := strings.Join(driftKeys(drift), "\n")
	for _, w := range []string{
		"added attachment " + acct + "group/Administrators",
		"removed attachment " + acct + "group/Administrators",
		"changed trust-policy " + snapshottest.AdminRoleARN,
		"added password-policy " + acct + "root",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("missing %q in\n%s", w, got)
		}
	}
}

// A source that failed in either snapshot is not compared: its entities
// are not reported removed, and the diff says what was left out.
func TestDriftNotComparedWhenASourceFailed(t *testing.T) {
	drift, notCompared := ComputeDrift(loadSnap(t, bundled("guide-compliant.json")), loadSnap(t, bundled("partial-access-denied.json")))
	for _, x := range drift {
		switch x.Type {
		case TypeUser, TypeGroup, TypeRole, TypePolicy, TypeAttachment, TypeTrustPolicy, TypeInlinePolicy, TypeGroupMembership:
			t.Errorf("drift from a failed source: %+v", x)
		}
	}
	if len(notCompared) != 1 || !strings.HasPrefix(notCompared[0], snapshot.SourceAuthorizationDetails+": not collected completely in NEW") {
		t.Errorf("not compared: %q", notCompared)
	}
}

func TestDriftCredentialsMFAAndPasswordPolicy(t *testing.T) {
	old := snapshottest.GuideCompliant()
	cur := snapshottest.GuideCompliant()
	alice := snapshottest.CredRow(cur, "alice")
	alice["access_key_1_active"] = "false"
	alice["mfa_active"] = "false"
	cur.VirtualMFADevices = nil
	*cur.PasswordPolicy.MinimumPasswordLength = 8
	cur.PasswordPolicy.RequireSymbols = false
	snapshottest.User(cur, "alice").Groups = []string{"Users"}
	users := snapshottest.Group(cur, "Users")
	users.Name, users.ARN = "Staff", acct+"group/Staff"
	drift, _ := ComputeDrift(old, cur)
	var lines []string
	for _, x := range drift {
		lines = append(lines, x.Change+" "+x.Type+": "+x.Detail)
	}
	want := []string{
		"added group: group Staff added (renamed from " + acct + "group/Users: same unique ID " + users.ID + ")",
		"removed group: group Users removed",
		"added attachment: policy " + acct + "policy/IAMRequireMFA attached to group Staff",
		"removed group-membership: user alice removed from group Administrators",
		"changed access-key: access key 1 of alice (created 2026-10-12T09:30:00+00:00): active -> inactive",
		"removed mfa-device: virtual MFA device removed (was assigned to " + snapshottest.AliceARN + ")",
		"removed mfa-device: MFA of alice: active -> inactive",
		"changed password-policy: password policy: minimum_password_length 14 -> 8, require_symbols true -> false",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("drift:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func TestCompareDocuments(t *testing.T) {
	old := json.RawMessage(`{"Version":"2012-10-17","Statement":[
		{"Sid":"Keep","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
		{"Sid":"Gone","Effect":"Allow","Action":["ec2:*"],"Resource":"*"},
		{"Sid":"Edit","Effect":"Deny","NotAction":["iam:*","sts:*"],"Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"false"}}},
		{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"}]}`)
	cur := json.RawMessage(`{"Version":"2012-10-17","Statement":[
		{"Sid":"Keep","Effect":"Allow","Action":["s3:GetObject"],"Resource":["*"]},
		{"Sid":"Edit","Effect":"Deny","NotAction":["sts:*","iam:*"],"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":false}}},
		{"Sid":"Fresh","Effect":"Allow","Action":"s3:*","Resource":"*"},
		{"Effect":"Allow","Action":"kms:*","Resource":"*"}]}`)
	got := CompareDocuments(old, cur)
	var lines []string
	for _, c := range got {
		lines = append(lines, c.Change+" "+c.Statement+" "+strings.Join(c.Elements, " | "))
	}
	want := []string{
		"removed Gone ",
		"added Fresh ",
		"changed Edit Condition: Bool aws:MultiFactorAuthPresent [false] -> BoolIfExists aws:MultiFactorAuthPresent [false]",
		"changed #4 Action: [kms:Decrypt] -> [kms:*]",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("statements:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if s := Summary(got); !strings.Contains(s, "statement Gone removed") || !strings.Contains(s, "statement #4 changed (Action: [kms:Decrypt] -> [kms:*])") {
		t.Errorf("summary %q", s)
	}
	if c := CompareDocuments(old, old); len(c) != 0 {
		t.Errorf("a document against itself: %+v", c)
	}
	if c := CompareDocuments(json.RawMessage(`{"Statement":{"Effect":"Allow","Action":"a:b"}}`), json.RawMessage(`{"Statement":[{"Effect":"Allow","Action":["a:b"]}]}`)); len(c) != 0 {
		t.Errorf("a single statement object and a one-element array differ: %+v", c)
	}
	if c := CompareDocuments(json.RawMessage(`not json`), json.RawMessage(`{}`)); len(c) != 1 || c[0].Statement != "document" {
		t.Errorf("unreadable document: %+v", c)
	}
}

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	f, err := os.Open("diff.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource("diff.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("diff.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// validate checks data against the compiled schema.
func validate(t *testing.T, s *jsonschema.Schema, data []byte) error {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return s.Validate(doc)
}

func sampleDiff(t *testing.T, oldPath, newPath string) *Diff {
	t.Helper()
	old, cur := loadSnap(t, oldPath), loadSnap(t, newPath)
	d := &Diff{Schema: SchemaV1, AccountID: cur.Account.ID,
		Inputs: Inputs{Old: Side{Path: oldPath, Kind: "snapshot"}, New: Side{Path: newPath, Kind: "snapshot", CollectedAt: "2026-11-27T12:00:00Z"}}}
	d.Drift, d.NotCompared = ComputeDrift(old, cur)
	d.NewFindings, d.Fixed, d.Changed = Compare(d.AccountID,
		[]findings.Result{res("LD-A", "x", findings.Fail, findings.High), res("LD-B", "x", findings.Fail, findings.Low)},
		[]findings.Result{res("LD-B", "x", findings.Fail, findings.High), res("LD-C", "x", findings.Fail, findings.Medium)}, nil)
	return d
}

func TestJSONMatchesPublishedSchema(t *testing.T) {
	schema := compileSchema(t)
	for _, pair := range [][2]string{
		{bundled("guide-compliant.json"), filepath.Join("testdata", "drift-new.json")},
		{bundled("guide-compliant.json"), bundled("hostile.json")},
		{bundled("guide-compliant.json"), bundled("partial-access-denied.json")},
	} {
		var buf bytes.Buffer
		if err := Render(&buf, "json", sampleDiff(t, pair[0], pair[1])); err != nil {
			t.Fatal(err)
		}
		if err := validate(t, schema, buf.Bytes()); err != nil {
			t.Errorf("%s: %v", pair[1], err)
		}
	}
	// Two reports: drift is null, which the schema allows.
	d := &Diff{Schema: SchemaV1, Inputs: Inputs{Old: Side{Path: "a", Kind: "report"}, New: Side{Path: "b", Kind: "report"}}}
	d.NewFindings, d.Fixed, d.Changed = Compare("1", nil, nil, nil)
	var buf bytes.Buffer
	if err := Render(&buf, "json", d); err != nil {
		t.Fatal(err)
	}
	if err := validate(t, schema, buf.Bytes()); err != nil {
		t.Errorf("report diff: %v", err)
	}
	// The schema can fail: an unknown drift change is rejected.
	bad := bytes.Replace(buf.Bytes(), []byte(`"drift": null`), []byte(`"drift": [{"change":"renamed","type":"user","arn":"a","detail":"d"}]`), 1)
	if err := validate(t, schema, bad); err == nil {
		t.Error("the schema accepts change \"renamed\"")
	}
}

// hostile.json's names, Sids and policy text carry terminal escapes, CI
// runner commands on their own lines, bidi overrides, HTML and mentions;
// every format keeps them inert.
func TestHostileDriftIsInertInEveryFormat(t *testing.T) {
	d := sampleDiff(t, bundled("guide-compliant.json"), bundled("hostile.json"))
	if len(d.Drift) < 5 {
		t.Fatalf("hostile drift: %v", driftKeys(d.Drift))
	}
	ciCommand := regexp.MustCompile(`(?m)^\s*(::|##\[|##vso\[|##teamcity\[)`)
	for _, format := range Formats() {
		var buf bytes.Buffer
		if err := Render(&buf, format, d); err != nil {
			t.Fatal(err)
		}
		out := buf.String()
		for _, r := range out {
			if (r < 0x20 && r != '\n') || (r >= 0x7f && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Errorf("%s: raw %U", format, r)
				break
			}
		}
		if m := ciCommand.FindString(out); m != "" {
			t.Errorf("%s: a line a CI runner would run: %q", format, m)
		}
		switch format {
		case "markdown":
			if regexp.MustCompile(`<[a-zA-Z/]`).MatchString(strings.ReplaceAll(out, "<br>", "")) {
				t.Errorf("markdown: raw HTML from account text")
			}
			if regexp.MustCompile(`@[A-Za-z]`).MatchString(out) {
				t.Errorf("markdown: a live @mention")
			}
		case "json":
			var back Diff
			if err := json.Unmarshal(buf.Bytes(), &back); err != nil {
				t.Fatal(err)
			}
			if len(back.Drift) != len(d.Drift) || back.Drift[0].ARN != d.Drift[0].ARN {
				t.Error("JSON does not keep the exact values")
			}
		}
	}
}
