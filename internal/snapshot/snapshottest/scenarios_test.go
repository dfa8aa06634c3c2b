package snapshottest

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// TestVariantsDifferFromCompliant guards the "exactly one change" rule at
// least against a variant that changes nothing.
func TestVariantsDifferFromCompliant(t *testing.T) {
	base, err := snapshot.Marshal(GuideCompliant())
	if err != nil {
		t.Fatal(err)
	}
	var compliantFail []string
	for _, sc := range Scenarios() {
		if sc.Path == "guide-compliant.json" {
			compliantFail = sc.Fail
		}
	}
	n := 0
	for _, sc := range Scenarios() {
		if !strings.HasPrefix(sc.Path, "variants/") && !strings.HasPrefix(sc.Path, "equivalent/") {
			continue
		}
		if strings.HasPrefix(sc.Path, "variants/") {
			n++
			if len(sc.Fail) == 0 && !strings.Contains(sc.Why, "false positive") {
				t.Errorf("%s: a broken variant with no expected failure must say why", sc.Path)
			}
		}
		if strings.HasPrefix(sc.Path, "equivalent/") && (!sameIDs(sc.Fail, compliantFail) || len(sc.NotAssessed) > 0) {
			t.Errorf("%s: equivalent encodings must give guide-compliant.json's verdicts", sc.Path)
		}
		data, err := snapshot.Marshal(sc.Build())
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(data, base) {
			t.Errorf("%s is identical to guide-compliant.json", sc.Path)
		}
	}
	if n < 12 {
		t.Errorf("%d broken variants, want at least 12", n)
	}
}

var idPattern = map[string]*regexp.Regexp{
	"user":   regexp.MustCompile(`^AIDA[A-Z2-7]{17}$`),
	"group":  regexp.MustCompile(`^AGPA[A-Z2-7]{17}$`),
	"role":   regexp.MustCompile(`^AROA[A-Z2-7]{17}$`),
	"policy": regexp.MustCompile(`^ANPA[A-Z0-9]{17}$`),
}

func TestSnapshotsLookLikeAWS(t *testing.T) {
	for _, sc := range Scenarios() {
		s := sc.Build()
		snapshot.Normalize(s)
		if s.Account.ID != AccountID || !s.CollectedAt.Equal(CollectedAt) {
			t.Errorf("%s: account %s at %s", sc.Path, s.Account.ID, s.CollectedAt)
		}
		type entity struct{ kind, name, id string }
		var all []entity
		for _, u := range s.Users {
			all = append(all, entity{"user", u.Name, u.ID})
		}
		for _, g := range s.Groups {
			all = append(all, entity{"group", g.Name, g.ID})
		}
		for _, r := range s.Roles {
			all = append(all, entity{"role", r.Name, r.ID})
		}
		for _, p := range s.Policies {
			all = append(all, entity{"policy", p.Name, p.ID})
			if p.DefaultDocument() == nil {
				t.Errorf("%s: policy %s has no default version", sc.Path, p.Name)
			}
		}
		for _, e := range all {
			if !idPattern[e.kind].MatchString(e.id) {
				t.Errorf("%s: %s %s has ID %q", sc.Path, e.kind, e.name, e.id)
			}
		}
		cr := s.CredentialReport
		if len(cr.Columns) != 22 || cr.Columns[0] != "user" || cr.Columns[21] != "cert_2_last_rotated" {
			t.Errorf("%s: credential report columns %v", sc.Path, cr.Columns)
		}
		if cr.Rows[0]["user"] != "<root_account>" || cr.Rows[0]["arn"] != RootARN {
			t.Errorf("%s: first credential report row is not the root row: %v", sc.Path, cr.Rows[0])
		}
		for _, r := range cr.Rows {
			if len(r) != len(cr.Columns) {
				t.Errorf("%s: row %s has %d fields, want %d", sc.Path, r["user"], len(r), len(cr.Columns))
			}
		}
		// Every IAM user has its credential report row (the incomplete
		// variants break this on purpose).
		for _, u := range s.Users {
			if strings.HasPrefix(sc.Path, "incomplete/") {
				break
			}
			found := false
			for _, r := range cr.Rows {
				found = found || r["arn"] == u.ARN
			}
			if !found {
				t.Errorf("%s: user %s has no credential report row", sc.Path, u.Name)
			}
		}
		for name, st := range s.Sources {
			if st.Status != snapshot.StatusOK && len(sc.NotAssessed) == 0 {
				t.Errorf("%s: source %s is %s", sc.Path, name, st.Status)
			}
		}
	}
}

// TestGuidePoliciesAreVerbatim checks that the guide's policy documents are
// carried over exactly (modulo key order and whitespace).
func TestGuidePoliciesAreVerbatim(t *testing.T) {
	// The guide sits beside the reference data (make sets
	// LOCKDOWN_SHARED_DATA when shared/ is beside the repository).
	d := os.Getenv("LOCKDOWN_SHARED_DATA")
	if d == "" {
		t.Skip("LOCKDOWN_SHARED_DATA is not set: the guide is not available")
	}
	guidePath := filepath.Join(d, "..", "guide", "securely-configuring-your-aws-account.md")
	guide, err := os.ReadFile(guidePath)
	if err != nil {
		t.Skip("guide not available:", err)
	}
	blocks := regexp.MustCompile("(?s)```json\n(.*?)```").FindAllSubmatch(guide, -1)
	if len(blocks) != 3 {
		t.Fatalf("found %d JSON blocks in the guide, want 3", len(blocks))
	}
	s := GuideCompliant()
	for i, arn := range []string{RequireMFAARN, AssumeAdminRoleARN, AdminPolicyARN} {
		want, err := snapshot.NormalizeDocument(string(blocks[i][1]))
		if err != nil {
			t.Fatal(err)
		}
		if got := Policy(s, arn).DefaultDocument(); !bytes.Equal(got, want) {
			t.Errorf("%s differs from the guide:\n got %s\nwant %s", arn, got, want)
		}
	}
}

// TestEveryCheckFailsSomewhere keeps the fixtures a complete specification:
// each check has at least one snapshot where it must fail, and the partial
// snapshot exercises NOT_ASSESSED.
func TestEveryCheckFailsSomewhere(t *testing.T) {
	failing := map[string]bool{}
	notAssessed := 0
	for _, sc := range Scenarios() {
		for _, id := range sc.Fail {
			failing[id] = true
		}
		notAssessed += len(sc.NotAssessed)
	}
	for _, id := range Checks {
		if !failing[id] {
			t.Errorf("no snapshot expects %s to fail", id)
		}
	}
	if notAssessed == 0 {
		t.Error("no snapshot expects NOT_ASSESSED")
	}
}

func TestFixtureIsTheNormalisedScenario(t *testing.T) {
	for _, sc := range Scenarios() {
		got, err := snapshot.Marshal(Fixture(sc.Path))
		if err != nil {
			t.Fatal(err)
		}
		want, err := snapshot.Marshal(sc.Build())
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("Fixture(%q) differs from its scenario", sc.Path)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Fixture of an unknown path did not panic")
		}
	}()
	Fixture("no-such-file.json")
}

func sameIDs(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}
