package report

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
)

type sarifLog struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name           string `json:"name"`
				Version        string `json:"version"`
				InformationURI string `json:"informationUri"`
				Rules          []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct{ Text string }
					FullDescription  struct{ Text string }
					Help             struct{ Text, Markdown string }
					HelpURI          string `json:"helpUri"`
					DefaultConfig    struct {
						Level string `json:"level"`
					} `json:"defaultConfiguration"`
					Properties map[string]any `json:"properties"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		OriginalURIBaseIDs map[string]struct {
			URI string `json:"uri"`
		} `json:"originalUriBaseIds"`
		Invocations []struct {
			ExecutionSuccessful bool `json:"executionSuccessful"`
			Notifications       []struct {
				Level      string `json:"level"`
				Message    struct{ Text string }
				Properties map[string]any `json:"properties"`
			} `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		Properties map[string]any `json:"properties"`
		Results    []sarifRes     `json:"results"`
	} `json:"runs"`
}

type sarifRes struct {
	RuleID    string `json:"ruleId"`
	RuleIndex *int   `json:"ruleIndex"`
	Level     string `json:"level"`
	Kind      string `json:"kind"`
	Message   struct{ Text string }
	Locations []struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI       string `json:"uri"`
				URIBaseID string `json:"uriBaseId"`
			} `json:"artifactLocation"`
			Region struct {
				StartLine int `json:"startLine"`
				EndLine   int `json:"endLine"`
			} `json:"region"`
		} `json:"physicalLocation"`
	} `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Properties          map[string]any    `json:"properties"`
}

func renderSARIFLog(t *testing.T, rep *findings.Report, opts Options) (*sarifLog, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, "sarif", rep, opts); err != nil {
		t.Fatal(err)
	}
	var log sarifLog
	if err := json.Unmarshal(buf.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want 1", len(log.Runs))
	}
	return &log, buf.Bytes()
}

func TestSARIFContent(t *testing.T) {
	rep := loadFixture(t, "mixed")
	locateResults(t, readSnapshot(t), rep, nil)
	log, _ := renderSARIFLog(t, rep, Options{SnapshotPath: "testdata/snapshot.json", SnapshotData: readSnapshot(t)})
	if log.Schema != sarifSchemaURI || log.Version != "2.1.0" {
		t.Errorf("$schema/version = %q/%q", log.Schema, log.Version)
	}
	run := log.Runs[0]
	d := run.Tool.Driver
	if d.Name != "lockdown" || d.Version != "0.3.0" || d.InformationURI == "" {
		t.Errorf("driver = %q %q %q", d.Name, d.Version, d.InformationURI)
	}
	if run.AutomationDetails.ID != "lockdown/123456789012/" {
		t.Errorf("automationDetails.id = %q", run.AutomationDetails.ID)
	}
	// One rule per catalogue check, plus one for the check only seen in results.
	if len(d.Rules) != len(rep.Checks)+1 {
		t.Fatalf("%d rules, want %d", len(d.Rules), len(rep.Checks)+1)
	}
	wantSev := map[string]string{"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}
	wantLevel := map[string]string{"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
	for i, c := range rep.Checks {
		r := d.Rules[i]
		if r.ID != c.ID {
			t.Errorf("rule %d id %q, want %q", i, r.ID, c.ID)
		}
		if r.Properties["security-severity"] != wantSev[string(c.Severity)] {
			t.Errorf("%s: security-severity %v, want %s", c.ID, r.Properties["security-severity"], wantSev[string(c.Severity)])
		}
		if r.DefaultConfig.Level != wantLevel[string(c.Severity)] {
			t.Errorf("%s: default level %q", c.ID, r.DefaultConfig.Level)
		}
		if p := r.Properties["precision"]; p != "very-high" && p != "high" {
			t.Errorf("%s: precision %v", c.ID, p)
		}
		tags, _ := r.Properties["tags"].([]any)
		if len(tags) < 2 || tags[0] != "security" || tags[1] != c.Section {
			t.Errorf("%s: tags %v", c.ID, tags)
		}
		for _, tag := range ControlTags(c.Controls) {
			if !containsAny(tags, tag) {
				t.Errorf("%s: tags %v lack control %s", c.ID, tags, tag)
			}
		}
		if r.Name == "" || strings.ContainsAny(r.Name, " -") || r.ShortDescription.Text == "" || r.FullDescription.Text == "" {
			t.Errorf("%s: name %q / descriptions incomplete", c.ID, r.Name)
		}
		if !strings.HasPrefix(r.HelpURI, "https://") || r.Help.Text == "" || !strings.Contains(r.Help.Markdown, "```sh") && strings.Contains(c.Remediation, "aws ") {
			t.Errorf("%s: help incomplete: %q", c.ID, r.Help.Markdown)
		}
	}

	// FAIL results only, each pointing at its entity; NOT_APPLICABLE
	// results are notes, never alerts.
	var fails []findings.Result
	for _, r := range rep.Results {
		if r.Status == findings.Fail {
			fails = append(fails, r)
		}
	}
	if len(run.Results) != len(fails) {
		t.Fatalf("%d results, want %d FAILs", len(run.Results), len(fails))
	}
	wantLines := map[string]lineRange{
		"arn:aws:iam::123456789012:root":                            {63, 69},
		"arn:aws:iam::123456789012:user/engineering/platform/alice": {99, 108},
		"arn:aws:iam::123456789012:user/nobody-left":                {8, 14}, // not in the snapshot: the account block
		"arn:aws:iam::123456789012:role/AdminRole":                  {148, 167},
		"arn:aws:iam::123456789012:user/auditor":                    {109, 130},
		"arn:aws:iam::123456789012:user/carol":                      {77, 83},
		"arn:aws:iam::aws:policy/AdministratorAccess":               {177, 205},
		"arn:aws:iam::123456789012:role/service-role/data/nightly/service-role-for-the-nightly-data-pipeline-export-job": {168, 174},
	}
	for i, res := range run.Results {
		f := fails[i]
		if res.RuleID != f.CheckID || res.RuleIndex == nil || d.Rules[*res.RuleIndex].ID != f.CheckID {
			t.Errorf("result %d: ruleId %q / ruleIndex %v for %s", i, res.RuleID, res.RuleIndex, f.CheckID)
		}
		if want := wantLevelFor(f.Severity); res.Level != want || res.Kind != "fail" {
			t.Errorf("result %d: level %q kind %q, want %q fail", i, res.Level, res.Kind, want)
		}
		if res.PartialFingerprints[fingerprintKey] != f.Fingerprint {
			t.Errorf("result %d: fingerprint %v", i, res.PartialFingerprints)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d: %d locations", i, len(res.Locations))
		}
		pl := res.Locations[0].PhysicalLocation
		if pl.ArtifactLocation.URI != "testdata/snapshot.json" {
			t.Errorf("result %d: uri %q", i, pl.ArtifactLocation.URI)
		}
		got := lineRange{pl.Region.StartLine, pl.Region.EndLine}
		if want, ok := wantLines[f.Resource.ARN]; !ok || got != want {
			t.Errorf("result %d (%s): lines %v, want %v", i, f.Resource.ARN, got, want)
		}
		if !strings.Contains(res.Message.Text, f.Resource.ARN) {
			t.Errorf("result %d: message %q does not name the resource", i, res.Message.Text)
		}
	}
	if run.Properties["truncated"] != false {
		t.Errorf("truncated = %v", run.Properties["truncated"])
	}
	// Three causes become errors, four NOT_ASSESSED results warnings, not
	// results; the run is not a successful execution.
	var errs, warns int
	for _, n := range run.Invocations[0].Notifications {
		switch n.Level {
		case "error":
			errs++
		case "warning":
			warns++
		}
	}
	if errs != 3 || warns != 4 {
		t.Errorf("%d error and %d warning notifications, want 3 and 4", errs, warns)
	}
	if run.Invocations[0].ExecutionSuccessful {
		t.Error("an incomplete audit is a successful execution")
	}
}

func wantLevelFor(s findings.Severity) string {
	switch s {
	case findings.Critical, findings.High:
		return "error"
	case findings.Medium:
		return "warning"
	}
	return "note"
}

func containsAny(list []any, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestSARIFTruncatesToMostSevere(t *testing.T) {
	old := maxSARIFResults
	maxSARIFResults = 3
	defer func() { maxSARIFResults = old }()
	rep := loadFixture(t, "mixed")
	log, raw := renderSARIFLog(t, rep, Options{SnapshotData: readSnapshot(t)})
	run := log.Runs[0]
	if len(run.Results) != 3 {
		t.Fatalf("%d results, want 3", len(run.Results))
	}
	// The critical and both highs survive, in report order.
	want := []string{"root-mfa-enabled", "iam-require-mfa-policy", "iam-require-mfa-policy"}
	for i, r := range run.Results {
		if r.RuleID != want[i] {
			t.Errorf("result %d = %s, want %s", i, r.RuleID, want[i])
		}
	}
	if run.Properties["truncated"] != true || run.Properties["failingResults"] != float64(9) || run.Properties["reportedResults"] != float64(3) {
		t.Errorf("run.properties = %v", run.Properties)
	}
	found := false
	for _, n := range run.Invocations[0].Notifications {
		if n.Level == "warning" && strings.Contains(n.Message.Text, "9 failing results exceed") {
			found = true
		}
	}
	if !found {
		t.Error("no truncation notification")
	}
	if err := validateBytes(sarifSchema(t), raw); err != nil {
		t.Errorf("truncated log is not valid SARIF: %v", err)
	}
}

// Results without a location (no snapshot given, or one the CLI could not
// index) point at line 1, and a notification names the snapshot.
func TestSARIFWithoutUsableSnapshot(t *testing.T) {
	rep := loadFixture(t, "mixed")
	for name, data := range map[string][]byte{"missing": nil, "unlocated": []byte("{\n  \"account\": [\n")} {
		log, raw := renderSARIFLog(t, rep, Options{SnapshotPath: "s.json", SnapshotData: data})
		run := log.Runs[0]
		for _, r := range run.Results {
			reg := r.Locations[0].PhysicalLocation.Region
			if reg.StartLine != 1 || reg.EndLine != 1 {
				t.Errorf("%s: region %d-%d, want line 1", name, reg.StartLine, reg.EndLine)
			}
		}
		named := false
		for _, n := range run.Invocations[0].Notifications {
			named = named || strings.Contains(n.Message.Text, "s.json")
		}
		if !named {
			t.Errorf("%s: no notification naming the snapshot: %v", name, run.Invocations[0].Notifications)
		}
		if err := validateBytes(sarifSchema(t), raw); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestSARIFArtifactLocation(t *testing.T) {
	rep := &findings.Report{AccountID: "123456789012"}
	cases := []struct {
		opts              Options
		uri, base, baseID string
	}{
		{Options{SnapshotPath: "out/snap.json"}, "out/snap.json", "", ""},
		{Options{SnapshotPath: "/var/tmp/a b.json"}, "file:///var/tmp/a%20b.json", "", ""},
		{Options{SnapshotPath: "/repo/audits/s.json", SARIFRoot: "/repo"}, "audits/s.json", "file:///repo/", "SRCROOT"},
		{Options{SnapshotPath: "audits/s.json", SARIFRoot: "."}, "audits/s.json", "", "SRCROOT"},
		{Options{SnapshotPath: "c:x.json"}, "./c:x.json", "", ""},
		{Options{}, "lockdown-snapshot.json", "", ""},
	}
	for _, c := range cases {
		loc, err := sarifArtifactLocation(rep, c.opts)
		if err != nil {
			t.Errorf("%+v: %v", c.opts, err)
			continue
		}
		if loc.uri != c.uri || loc.base != c.base || loc.baseID != c.baseID {
			t.Errorf("%+v: got uri %q base %q id %q; want %q %q %q", c.opts, loc.uri, loc.base, loc.baseID, c.uri, c.base, c.baseID)
		}
	}
}

func TestPascalNameAndSentence(t *testing.T) {
	for in, want := range map[string]string{
		"Root user has MFA enabled":   "RootUserHasMfaEnabled",
		"AdminRole trust policy (v2)": "AdminRoleTrustPolicyV2",
		"":                            "CustomCheck",
		"123 numbers first":           "CustomCheck",
	} {
		if got := pascalName(in, "custom-check"); got != want {
			t.Errorf("pascalName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"v1.2.3": "1.2.3", "1.0.0-rc.1": "1.0.0-rc.1", "dev": "0.0.0-dev", "": "0.0.0-unknown", "my build": "0.0.0-my-build"} {
		if got := toolVersion(in); got != want {
			t.Errorf("toolVersion(%q) = %q, want %q", in, got, want)
		}
	}
	if got := unwrap("one\ntwo\n\n\nthree  four\r\nfive\n"); got != "one two\n\nthree four five" {
		t.Errorf("unwrap = %q", got)
	}
	if got := sentence("done"); got != "done." {
		t.Errorf("sentence = %q", got)
	}
	if got := sentence("Done?"); got != "Done?" {
		t.Errorf("sentence = %q", got)
	}
}

func TestSARIFUnknownStatusAndOutsideRoot(t *testing.T) {
	rep := loadFixture(t, "clean")
	rep.Results[0].Status = "MAYBE"
	log, raw := renderSARIFLog(t, rep, Options{SnapshotPath: "/elsewhere/s.json", SARIFRoot: "/repo"})
	var texts []string
	for _, n := range log.Runs[0].Invocations[0].Notifications {
		texts = append(texts, n.Level+": "+n.Message.Text)
	}
	all := strings.Join(texts, "\n")
	if !strings.Contains(all, `error: root-mfa-enabled on arn:aws:iam::210987654321:root has unknown status "MAYBE"`) {
		t.Errorf("no error for the unknown status:\n%s", all)
	}
	if !strings.Contains(all, "warning: The snapshot /elsewhere/s.json is outside the SARIF root /repo") {
		t.Errorf("no warning for a snapshot outside the root:\n%s", all)
	}
	if err := validateBytes(sarifSchema(t), raw); err != nil {
		t.Error(err)
	}
}
