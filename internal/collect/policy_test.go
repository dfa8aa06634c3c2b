package collect

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
)

const auditPolicyPath = "../../policies/lockdown-audit-policy.json"

// stringList reads an IAM "string or list of strings" element.
type stringList []string

func (s *stringList) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*s = []string{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return err
	}
	*s = many
	return nil
}

type auditPolicy struct {
	Version   string
	Statement []struct {
		Sid       string
		Effect    string
		Action    stringList
		NotAction stringList
		Resource  stringList
		Condition json.RawMessage
	}
}

func loadAuditPolicy(t *testing.T) *auditPolicy {
	t.Helper()
	data, err := os.ReadFile(filepath.FromSlash(auditPolicyPath))
	if err != nil {
		t.Fatalf("reading the shipped policy: %v", err)
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	var p auditPolicy
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("%s: %v", auditPolicyPath, err)
	}
	if p.Version != "2012-10-17" {
		t.Errorf("%s: Version %q, want 2012-10-17", auditPolicyPath, p.Version)
	}
	return &p
}

// actionMatches is IAM action matching: case-insensitive, * and ? wildcards.
func actionMatches(pattern, action string) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(strings.ToLower(pattern))) + "$"
	return regexp.MustCompile(re).MatchString(strings.ToLower(action))
}

// allows reports whether an unconditional Allow on Resource "*" grants
// action and no Deny names it.
func (p *auditPolicy) allows(action string) bool {
	allowed := false
	for _, st := range p.Statement {
		for _, a := range st.Action {
			if !actionMatches(a, action) {
				continue
			}
			if st.Effect == "Deny" {
				return false
			}
			if st.Effect == "Allow" && len(st.Condition) == 0 && len(st.Resource) == 1 && st.Resource[0] == "*" {
				allowed = true
			}
		}
	}
	return allowed
}

func TestAuditPolicyCoversEveryOperation(t *testing.T) {
	p := loadAuditPolicy(t)
	for _, op := range Operations {
		if !p.allows(op.Action()) {
			t.Errorf("%s does not allow %s, which the %s collector calls", auditPolicyPath, op.Action(), op.Source)
		}
	}
}

// TestAuditPolicyIsLeastPrivilege: no wildcards, no NotAction, nothing the
// collectors do not call, and nothing the read-only guard would refuse.
func TestAuditPolicyIsLeastPrivilege(t *testing.T) {
	p := loadAuditPolicy(t)
	used := map[string]bool{}
	for _, op := range Operations {
		used[strings.ToLower(op.Action())] = true
	}
	for _, st := range p.Statement {
		if st.Effect != "Allow" || len(st.NotAction) > 0 {
			t.Errorf("statement %q: only plain Allow statements expected", st.Sid)
		}
		for _, a := range st.Action {
			if strings.ContainsAny(a, "*?") {
				t.Errorf("statement %q: wildcard action %q grants more than the collectors need", st.Sid, a)
			}
			if !used[strings.ToLower(a)] {
				t.Errorf("statement %q: %q is not called by any collector", st.Sid, a)
			}
			svc, name, _ := strings.Cut(a, ":")
			if !AllowedOperation(svc, name) {
				t.Errorf("statement %q: %q is not a read operation", st.Sid, a)
			}
		}
	}
}

// TestFullCollectionCallsOnlyListedOperations records what a full
// collection actually sends, so the table above cannot drift from the code.
func TestFullCollectionCallsOnlyListedOperations(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 1200)
	srv := startServer(t, acct)
	srv.ReportGenerating(2)
	mustCollect(t, fastOptions())
	p := loadAuditPolicy(t)
	listed := map[string]bool{}
	for _, op := range Operations {
		listed[op.Name] = true
	}
	var seen []string
	for action := range srv.Counts() {
		seen = append(seen, action)
	}
	sort.Strings(seen)
	for _, action := range seen {
		service := ServiceIAM
		if action == "GetCallerIdentity" {
			service = ServiceSTS
		}
		if !listed[action] {
			t.Errorf("collection called %s, which is missing from Operations", action)
		}
		if !p.allows(service + ":" + action) {
			t.Errorf("collection called %s:%s, which the shipped policy does not allow", service, action)
		}
	}
	if len(seen) != len(Operations) {
		t.Errorf("collection called %v; Operations lists %d operations", seen, len(Operations))
	}
}

func TestActionMatches(t *testing.T) {
	for _, tc := range []struct {
		pattern, action string
		want            bool
	}{
		{"iam:GetAccountSummary", "iam:getaccountsummary", true},
		{"iam:Get*", "iam:GetAccountSummary", true},
		{"iam:List?oles", "iam:ListRoles", true},
		{"iam:Get*", "iam:ListRoles", false},
		{"iam:GetAccount", "iam:GetAccountSummary", false},
		{"iam:Get.*", "iam:GetX", false},
	} {
		if got := actionMatches(tc.pattern, tc.action); got != tc.want {
			t.Errorf("actionMatches(%q, %q) = %v, want %v", tc.pattern, tc.action, got, tc.want)
		}
	}
}
