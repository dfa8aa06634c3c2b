package collect

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/lockdown-dev/lockdown/internal/collect/iamtest"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// A delegated administrator reads its own path and the policies on it; the
// documents are normalised like IAM's.
func TestOrganizationSourceDelegatedAdministrator(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2)
	want := iamtest.SampleOrganization(testAccountID)
	acct.Organization = want
	srv := startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, snapshot.SourceOrganization)
	got := snap.Organization
	if got == nil {
		t.Fatal("no organization recorded")
	}
	if got.ID != want.ID || got.ManagementAccountID != want.ManagementAccountID || !reflect.DeepEqual(got.PolicyTypes, want.PolicyTypes) {
		t.Errorf("organization %s/%s/%v, want %s/%s/%v", got.ID, got.ManagementAccountID, got.PolicyTypes, want.ID, want.ManagementAccountID, want.PolicyTypes)
	}
	if !reflect.DeepEqual(got.Path, want.Path) {
		t.Errorf("path:\n got %+v\nwant %+v", got.Path, want.Path)
	}
	if len(got.Policies) != len(want.Policies) {
		t.Fatalf("%d policies, want %d", len(got.Policies), len(want.Policies))
	}
	for i, p := range got.Policies {
		w := want.Policies[i]
		norm, err := snapshot.NormalizeDocument(string(w.Document))
		if err != nil {
			t.Fatal(err)
		}
		if p.ID != w.ID || p.Name != w.Name || p.Type != w.Type || p.AWSManaged != w.AWSManaged || string(p.Document) != string(norm) {
			t.Errorf("policy %d: %+v, want %+v", i, p, w)
		}
	}
	// Two levels above the account: two ListParents, one OU described.
	if srv.Count("ListParents") != 2 || srv.Count("DescribeOrganizationalUnit") != 1 || srv.Count("DescribePolicy") != len(want.Policies) {
		t.Errorf("requests %v", srv.Counts())
	}
}

// A member that is not a delegated administrator is refused the policy
// calls: an error, with the note that decisions leave the policies out.
func TestOrganizationSourceMemberRefused(t *testing.T) {
	acct := iamtest.GenerateAccount(testAccountID, 2)
	acct.OrganizationDenied = true
	startServer(t, acct)
	snap := mustCollect(t, fastOptions())
	st := requireError(t, snap, snapshot.SourceOrganization, "AccessDeniedException")
	if !strings.Contains(st.Note, "leave organization policies out") {
		t.Errorf("note %q does not say what the refusal means", st.Note)
	}
	if st.Error.Action != "organizations:ListRoots" {
		t.Errorf("action %q, want organizations:ListRoots", st.Error.Action)
	}
	if snap.Organization != nil {
		t.Error("an organization was recorded from a refusal")
	}
}

// An account in no organization: ok, nothing recorded, one request.
func TestOrganizationSourceNotInOrganization(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 2))
	snap := mustCollect(t, fastOptions())
	requireOK(t, snap, snapshot.SourceOrganization)
	if snap.Organization != nil || !strings.Contains(snap.Sources[snapshot.SourceOrganization].Note, "no AWS Organizations organization") {
		t.Errorf("organization %+v note %q", snap.Organization, snap.Sources[snapshot.SourceOrganization].Note)
	}
	if srv.Count("DescribeOrganization") != 1 || srv.Count("ListRoots") != 0 {
		t.Errorf("requests %v", srv.Counts())
	}
}

// sts:AssumeRole passes only the runner's own client: lockdown's STS client
// refuses it, and the runner's client refuses everything else.
func TestAssumeRoleOnlyOnTheRunnersClient(t *testing.T) {
	srv := startServer(t, iamtest.GenerateAccount(testAccountID, 1))
	if AllowedOperation(ServiceSTS, "AssumeRole") {
		t.Error("the read-only guard allows sts:AssumeRole")
	}
	cfg, _, err := loadConfig(context.Background(), fastOptions().withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	c := newCollector(cfg, fastOptions())
	_, err = c.sts.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::444455556666:role/lockdown-audit"), RoleSessionName: aws.String("x")})
	requireRefused(t, srv, ServiceSTS, "AssumeRole", err)
	_, err = c.orgs.LeaveOrganization(context.Background(), &organizations.LeaveOrganizationInput{})
	requireRefused(t, srv, ServiceOrganizations, "LeaveOrganization", err)

	runner := sts.NewFromConfig(cfg, func(o *sts.Options) { o.APIOptions = append(o.APIOptions, AssumeRoleGuard()) })
	_, err = runner.GetFederationToken(context.Background(), &sts.GetFederationTokenInput{Name: aws.String("x")})
	requireRefused(t, srv, ServiceSTS, "GetFederationToken", err)
	_, err = runner.GetSessionToken(context.Background(), &sts.GetSessionTokenInput{})
	requireRefused(t, srv, ServiceSTS, "GetSessionToken", err)
	if _, err := runner.AssumeRole(context.Background(), &sts.AssumeRoleInput{RoleArn: aws.String("arn:aws:iam::444455556666:role/lockdown-audit"), RoleSessionName: aws.String("x")}); err != nil {
		t.Errorf("the runner's client: AssumeRole: %v", err)
	}
	if srv.Count("AssumeRole") != 1 {
		t.Errorf("AssumeRole reached the server %d times, want 1", srv.Count("AssumeRole"))
	}
}

func startOrg(t *testing.T, org *iamtest.Org) *iamtest.Server {
	t.Helper()
	srv := iamtest.NewOrgServer(t, org)
	srv.SetEnv(t)
	return srv
}

// The tree is read once from the management account; each member's view is
// its path with the policies attached along it, and a member's collection
// records that view without asking Organizations itself.
func TestOrgTreeViewsAndMemberCollection(t *testing.T) {
	org := iamtest.GenerateOrg(6, 2)
	org.Members[4].NoRole = true
	srv := startOrg(t, org)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	sess, err := NewOrgSession(ctx, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if sess.Caller.Account != org.ManagementID {
		t.Fatalf("caller %+v", sess.Caller)
	}
	tree, err := sess.ReadTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if tree.PolicyErr != nil || len(tree.Accounts) != 6 || len(tree.Units) != 3 || len(tree.Policies) != 4 {
		t.Fatalf("tree: %d accounts, %d OUs, %d policies, error %+v", len(tree.Accounts), len(tree.Units), len(tree.Policies), tree.PolicyErr)
	}
	// Account 3 sits in Prod, under Workloads: root, two OUs, the account.
	v := tree.View("100000000003")
	if v.Err != nil || v.Organization == nil {
		t.Fatalf("view: %+v", v)
	}
	var ids, types []string
	for _, n := range v.Organization.Path {
		ids = append(ids, n.ID)
		types = append(types, n.Type)
	}
	if strings.Join(ids, " ") != "r-gen0 ou-gen0-workload1 ou-gen0-prodprod1 100000000003" ||
		strings.Join(types, " ") != "ROOT ORGANIZATIONAL_UNIT ORGANIZATIONAL_UNIT ACCOUNT" {
		t.Errorf("path %v %v", ids, types)
	}
	if got := v.Organization.Path[1].SCPs; strings.Join(got, " ") != "p-FullAWSAccess p-denyiam00001" {
		t.Errorf("Workloads SCPs %v", got)
	}
	if got := v.Organization.Path[0].SCPs; strings.Join(got, " ") != "p-FullAWSAccess p-denyleave001" {
		t.Errorf("root SCPs %v", got)
	}
	if len(v.Organization.Policies) != 4 {
		t.Errorf("%d policies in the view", len(v.Organization.Policies))
	}
	if err := snapshot.Validate(&snapshot.Snapshot{Schema: snapshot.SchemaV1, Generator: snapshot.Generator{Name: "lockdown", Version: "test"}, Account: snapshot.Account{ID: "100000000003", Partition: "aws"},
		CollectedAt: fixedNow, Sources: map[string]snapshot.SourceStatus{snapshot.SourceOrganization: {Status: snapshot.StatusOK}}, Organization: v.Organization}); err != nil {
		t.Errorf("the view is not a valid snapshot organization: %v", err)
	}
	// Account 1 sits in Security: no iam:* deny there.
	if got := tree.View("100000000001").Organization.Path[1].SCPs; strings.Join(got, " ") != "p-FullAWSAccess" {
		t.Errorf("Security SCPs %v", got)
	}
	under, ok := tree.UnitsUnder("ou-gen0-workload1")
	if !ok || !under["ou-gen0-prodprod1"] || under["ou-gen0-security1"] {
		t.Errorf("units under Workloads %v", under)
	}
	treeRequests := srv.Total()

	snap, err := sess.CollectAccount(ctx, "100000000003", "lockdown-audit", v)
	if err != nil {
		t.Fatal(err)
	}
	requireOK(t, snap, snapshot.SourceOrganization)
	// Centralised root access: the member asks nothing and records what
	// the management account answered once.
	requireOK(t, snap, snapshot.SourceOrganizationsFeatures)
	if tree.Features == nil || !reflect.DeepEqual(snap.OrganizationsFeatures, tree.Features) || srv.Count("ListOrganizationsFeatures") != 1 {
		t.Errorf("member organizations features %+v, tree %+v (error %+v), %d requests", snap.OrganizationsFeatures, tree.Features, tree.FeaturesErr, srv.Count("ListOrganizationsFeatures"))
	}
	if snap.Account.ID != "100000000003" || !reflect.DeepEqual(snap.Organization, v.Organization) {
		t.Errorf("member snapshot: account %s organization %+v", snap.Account.ID, snap.Organization)
	}
	if _, ok := snap.Sources[snapshot.SourceAWSConfig]; ok {
		t.Error("a member's snapshot records the runner's local AWS CLI files")
	}
	if srv.Count("ListRoots") != 1 || srv.Count("DescribeOrganization") != 1 {
		t.Errorf("the member asked Organizations itself: %v", srv.Counts())
	}
	if srv.AssumeRoleCount("100000000003") != 1 || srv.AccountRequests("100000000003") != srv.Total()-treeRequests-1 {
		t.Errorf("AssumeRole %d, member requests %d of %d", srv.AssumeRoleCount("100000000003"), srv.AccountRequests("100000000003"), srv.Total()-treeRequests)
	}

	// No role: the cause names the role and AccessDenied, redacted.
	_, err = sess.CollectAccount(ctx, "100000000004", "lockdown-audit", tree.View("100000000004"))
	var ae *AssumeRoleError
	if !errors.As(err, &ae) || ae.Err.Code != "AccessDenied" || !strings.Contains(err.Error(), "arn:aws:iam::100000000004:role/lockdown-audit") {
		t.Fatalf("no role: %v", err)
	}
	// The management account is audited with the caller's credentials.
	before := srv.Count("AssumeRole")
	snap, err = sess.CollectAccount(ctx, org.ManagementID, "lockdown-audit", tree.View(org.ManagementID))
	if err != nil || snap.Account.ID != org.ManagementID || srv.Count("AssumeRole") != before {
		t.Fatalf("management account: %v, %d AssumeRole", err, srv.Count("AssumeRole")-before)
	}
}

// A tree whose policies cannot be read gives every view that error.
func TestOrgTreePolicyError(t *testing.T) {
	org := iamtest.GenerateOrg(2, 1)
	srv := startOrg(t, org)
	srv.DenyAccess("ListPolicies")
	ctx := context.Background()
	sess, err := NewOrgSession(ctx, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	tree, err := sess.ReadTree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	v := tree.View("100000000001")
	if tree.PolicyErr == nil || v.Err == nil || v.Err.Code != "AccessDeniedException" || v.Organization != nil || !strings.Contains(v.Note, "leave organization policies out") {
		t.Fatalf("view %+v", v)
	}
	// Without the account listing there is no organisation audit.
	srv.DenyAccess("ListAccountsForParent")
	_, err = sess.ReadTree(ctx)
	var oe *OrgError
	if !errors.As(err, &oe) || oe.Err.Action != "organizations:ListAccountsForParent" {
		t.Fatalf("ReadTree: %v", err)
	}
}

// The shipped runner policy allows exactly what the runner calls, and
// sts:AssumeRole only on the audit role.
func TestRunnerPolicy(t *testing.T) {
	data, err := os.ReadFile(filepath.FromSlash("../../policies/lockdown-org-runner-policy.json"))
	if err != nil {
		t.Fatal(err)
	}
	var p auditPolicy
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, op := range RunnerOperations {
		want[op.Action()] = true
		if op.Action() != "sts:AssumeRole" && !AllowedOperation(op.Service, op.Name) {
			t.Errorf("%s is not a read the guard allows", op.Action())
		}
	}
	got := map[string]bool{}
	for _, st := range p.Statement {
		if st.Effect != "Allow" || len(st.NotAction) > 0 || len(st.Condition) > 0 {
			t.Errorf("statement %q: only plain Allow statements expected", st.Sid)
		}
		for _, a := range st.Action {
			got[a] = true
			if strings.ContainsAny(a, "*?") {
				t.Errorf("wildcard action %q", a)
			}
			if a == "sts:AssumeRole" {
				if len(st.Resource) != 1 || st.Resource[0] != "arn:aws:iam::*:role/lockdown-audit" || len(st.Action) != 1 {
					t.Errorf("sts:AssumeRole on %v in a statement with %v; want only the audit role", st.Resource, st.Action)
				}
			}
		}
	}
	var missing, extra []string
	for a := range want {
		if !got[a] {
			missing = append(missing, a)
		}
	}
	for a := range got {
		if !want[a] {
			extra = append(extra, a)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing)+len(extra) > 0 {
		t.Errorf("runner policy: missing %v, not called %v", missing, extra)
	}
	// The member's audit policy never grants sts:AssumeRole.
	if loadAuditPolicy(t).allows("sts:AssumeRole") {
		t.Error("the audit role's policy allows sts:AssumeRole")
	}
}

// An account ID from the listing becomes a directory under --out and part
// of a role ARN: one that is not twelve digits stops the tree read.
func TestOrgTreeRefusesAMalformedAccountID(t *testing.T) {
	org := iamtest.GenerateOrg(2, 1)
	org.Members[1].Account.ID = "../../x"
	startOrg(t, org)
	ctx := context.Background()
	sess, err := NewOrgSession(ctx, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	_, err = sess.ReadTree(ctx)
	var oe *OrgError
	if !errors.As(err, &oe) || oe.Err.Code != "MalformedResponse" || !strings.Contains(oe.Err.Message, `"../../x"`) {
		t.Fatalf("tree read: %v", err)
	}
}
