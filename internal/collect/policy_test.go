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
	"github.com/lockdown-dev/lockdown/internal/snapshot"
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

// operationsCalled returns the operations the server saw, by action
// (service:Name), failing on any the table does not list or the shipped
// policy does not allow.
func operationsCalled(t *testing.T, srv *iamtest.Server) map[string]bool {
	t.Helper()
	p := loadAuditPolicy(t)
	byName := map[string]Operation{}
	for _, op := range Operations {
		byName[op.Name] = op
	}
	seen := map[string]bool{}
	var calls []iamtest.Call
	for c := range srv.Calls() {
		calls = append(calls, c)
	}
	sort.Slice(calls, func(i, j int) bool { return calls[i].Action+calls[i].Region < calls[j].Action+calls[j].Region })
	for _, c := range calls {
		op, listed := byName[c.Action]
		if !listed {
			t.Errorf("collection called %s:%s, which is missing from Operations", c.Service, c.Action)
			continue
		}
		// The service the request was signed for is the one the table names.
		if c.Service != op.Service {
			t.Errorf("%s was signed for service %q, Operations says %q", c.Action, c.Service, op.Service)
		}
		if !p.allows(op.Action()) {
			t.Errorf("collection called %s, which the shipped policy does not allow", op.Action())
		}
		if !AllowedOperation(op.Service, op.Name) {
			t.Errorf("collection called %s, which the read-only guard refuses", op.Action())
		}
		if c.Region != "us-east-1" && !op.Regional {
			t.Errorf("%s was called in %s; only regional operations leave the default region", op.Action(), c.Region)
		}
		seen[op.Action()] = true
	}
	return seen
}

// TestFullCollectionCallsOnlyListedOperations records what a full
// collection actually sends, so the table above cannot drift from the code:
// every operation called is listed, signed for its service and allowed by
// the shipped policy, and every listed operation but the fallbacks is
// called. The fallbacks are called when what they stand in for fails.
func TestFullCollectionCallsOnlyListedOperations(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 1200)
	acct.Organization = iamtest.SampleOrganization(testAccountID)
	srv := startServer(t, acct)
	srv.ReportGenerating(2)
	mustCollect(t, fastOptions())
	seen := operationsCalled(t, srv)
	for _, op := range Operations {
		if seen[op.Action()] == op.Fallback {
			t.Errorf("%s: called %v, fallback %v", op.Action(), seen[op.Action()], op.Fallback)
		}
	}

	// account:ListRegions denied: ec2:DescribeRegions stands in.
	srv = startServer(t, iamtest.GenerateAccount(testAccountID, 3))
	srv.DenyAccess("ListRegions")
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, snapshot.SourceRegions, snapshot.SourceAccessAnalyzers, snapshot.SourceEC2Instances)
	seen = operationsCalled(t, srv)
	for _, op := range Operations {
		if op.Fallback && !seen[op.Action()] {
			t.Errorf("fallback %s was not called when account:ListRegions was denied", op.Action())
		}
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

// TestSecurityAuditCoversCollection: the README says the AWS managed policy
// SecurityAudit covers every call; where it does not allow an operation,
// a fallback of the same source that it allows must stand in.
func TestSecurityAuditCoversCollection(t *testing.T) {
	dir := os.Getenv("LOCKDOWN_SHARED_DATA")
	if dir == "" {
		dir = "/work/shared/data"
	}
	path := filepath.Join(dir, "aws-managed-policies.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("reference data %s not available (set LOCKDOWN_SHARED_DATA): %v", path, err)
	}
	var corpus struct {
		Policies map[string]struct {
			Document json.RawMessage `json:"document"`
		} `json:"policies"`
	}
	if err := json.Unmarshal(data, &corpus); err != nil {
		t.Fatal(err)
	}
	entry, ok := corpus.Policies["SecurityAudit"]
	if !ok {
		t.Fatalf("%s has no SecurityAudit", path)
	}
	doc := []byte(entry.Document)
	var text string
	if json.Unmarshal(doc, &text) == nil {
		doc = []byte(text)
	}
	var p auditPolicy
	if err := json.Unmarshal(doc, &p); err != nil {
		t.Fatalf("SecurityAudit: %v", err)
	}
	var uncovered []string
	for _, op := range Operations {
		// sts:GetCallerIdentity needs no permission: AWS answers it for
		// every principal, even one whose policies deny it.
		if p.allows(op.Action()) || op.Action() == "sts:GetCallerIdentity" {
			continue
		}
		covered := false
		for _, fb := range Operations {
			if fb.Fallback && fb.Source == op.Source && p.allows(fb.Action()) {
				covered = true
			}
		}
		if !covered {
			uncovered = append(uncovered, op.Action())
		}
	}
	if len(uncovered) > 0 {
		t.Errorf("SecurityAudit does not allow %v and no fallback stands in", uncovered)
	}
}
