package snapshottest

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// The privilege-escalation corpus: the guide's compliant account with one
// catalogue method's attackers added per fixture, each attacker a user (or
// role, or group) whose policies allow the method's actions, and beside it
// the same action set made harmless by a condition, a resource constraint,
// an explicit deny, a permissions boundary or a harmless target. The
// expectations follow AWS's documented behaviour (IAM User Guide: policy
// evaluation logic, iam:PassRole and iam:PassedToService, role trust
// policies, permissions boundaries), not the engine's code.
// tools/mktestdata writes the fixtures under testdata/snapshots/privesc/
// with expected.json.

// PrivescExpect is what LD-PE-01 must say about one principal.
type PrivescExpect struct {
	Status string `json:"status"`
	// MethodIDs, Context and RequiresMFA describe the shortest path (FAIL).
	MethodIDs   []string `json:"method_ids,omitempty"`
	Context     string   `json:"context,omitempty"`
	RequiresMFA *bool    `json:"requires_mfa,omitempty"`
	// Unknown (NOT_ASSESSED): a word the possible path's unknown names.
	Unknown string `json:"unknown,omitempty"`
	// AlreadyAdmin (PASS): the message says the principal already is
	// administrator-equivalent.
	AlreadyAdmin bool   `json:"already_admin,omitempty"`
	Why          string `json:"why"`
}

// PrivescFixture is one snapshot of the corpus.
type PrivescFixture struct {
	Name    string   // file name under privesc/, without .json
	Methods []string // catalogue methods whose positive and negative cases it holds
	Change  string
	Build   func() *snapshot.Snapshot
	// Expect: every principal the fixture adds, by ARN. The guide's own
	// principals (PrivescBaseExpect) are expected in every fixture.
	Expect map[string]PrivescExpect
}

// PrivescKnownGap is an expectation the engine does not meet yet: it stays
// in the corpus and the runner reports it.
type PrivescKnownGap struct {
	Fixture   string `json:"fixture"`
	Principal string `json:"principal"`
	Wrong     string `json:"wrong"`
	Finding   string `json:"finding"`
}

// PrivescKnownGaps lists the corpus expectations the engine does not meet,
// each with its entry in the findings file.
var PrivescKnownGaps = []PrivescKnownGap{
	{Fixture: "differential", Principal: "already-admin-without-method", Finding: "F4",
		Wrong: "a user allowed an action that grants permissions to others (e.g. iam:PutGroupPolicy on *, in no group) is reported " +
			"already administrator-equivalent though it can raise only other principals' power; by design: the engine keeps LD-ADM-01's definition"},
}

const (
	peAdminAccess = AdministratorAccessARN
	peReadOnly    = "arn:aws:iam::aws:policy/ReadOnlyAccess"
)

// PE* are ARNs of principals the fixtures share.
func peUser(name string) string  { return accountARN + "user/" + name }
func peRole(name string) string  { return accountARN + "role/" + name }
func peGroup(name string) string { return accountARN + "group/" + name }
func pePolicy(name string) string {
	return accountARN + "policy/" + name
}

// PrivescBaseExpect is LD-PE-01 on the guide's compliant account: no
// escalation; AdminRole already is administrator (AdminPolicy, * on *);
// the Administrators group's members can only assume AdminRole with MFA,
// which is the guide's admin route (LD-ADM-02/03), not an escalation.
func PrivescBaseExpect() map[string]PrivescExpect {
	return map[string]PrivescExpect{
		AliceARN:                   {Status: "PASS", Why: "alice can only assume AdminRole with MFA (the guide's admin route) and manage her own credentials"},
		accountARN + "group/Users": {Status: "PASS", Why: "IAMRequireMFA only lets a member manage their own password and MFA device"},
		accountARN + "group/Administrators": {Status: "PASS",
			Why: "AssumeAdminRole: sts:AssumeRole on AdminRole with MFA is the guide's admin route, judged by LD-ADM-02/03"},
		AdminRoleARN: {Status: "PASS", AlreadyAdmin: true, Why: "AdminPolicy allows * on *"},
	}
}

// st is one policy statement.
type st map[string]any

func allow(actions any, resources any) st {
	return st{"Effect": "Allow", "Action": actions, "Resource": resources}
}

func deny(actions any, resources any) st {
	return st{"Effect": "Deny", "Action": actions, "Resource": resources}
}

// when adds a condition op {key: value} to a copy of s.
func (s st) when(op, key string, value any) st {
	out := st{}
	for k, v := range s {
		out[k] = v
	}
	cond := map[string]map[string]any{}
	if c, ok := s["Condition"].(map[string]map[string]any); ok {
		for o, kv := range c {
			cond[o] = map[string]any{}
			for k, v := range kv {
				cond[o][k] = v
			}
		}
	}
	if cond[op] == nil {
		cond[op] = map[string]any{}
	}
	cond[op][key] = value
	out["Condition"] = cond
	return out
}

func peDoc(stmts ...st) json.RawMessage {
	b, err := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": stmts})
	if err != nil {
		panic(err)
	}
	return Doc(string(b))
}

func trustService(services ...string) json.RawMessage {
	var p any = services[0]
	if len(services) > 1 {
		p = services
	}
	return peDoc(st{"Effect": "Allow", "Principal": map[string]any{"Service": p}, "Action": "sts:AssumeRole"})
}

func trustPrincipals(arns ...string) json.RawMessage {
	var p any = arns[0]
	if len(arns) > 1 {
		p = arns
	}
	return peDoc(st{"Effect": "Allow", "Principal": map[string]any{"AWS": p}, "Action": "sts:AssumeRole"})
}

// pe builds a fixture on the base account.
type pe struct{ s *snapshot.Snapshot }

// privescBase is GuideCompliant with the Lambda inventory collected (no
// functions) and the AWS managed AdministratorAccess and ReadOnlyAccess
// policies in the account's list, so that fixtures can attach them.
func privescBase() *pe {
	s := GuideCompliant()
	s.LambdaFunctions = nil
	for _, r := range GuideRegions {
		s.LambdaFunctions = append(s.LambdaFunctions, snapshot.LambdaRegion{Region: r, Requests: 1, Functions: []snapshot.LambdaFunction{}})
	}
	s.Sources[snapshot.SourceLambdaFunctions] = snapshot.SourceStatus{Status: snapshot.StatusOK, Requests: len(GuideRegions)}
	// The guide's instances run with an instance profile no role holds;
	// the corpus sets its own instances where a method needs them.
	for i := range s.EC2Instances {
		s.EC2Instances[i].Instances = []snapshot.EC2Instance{}
	}
	s.Policies = append(s.Policies, administratorAccess(0),
		awsManagedPolicy("ReadOnlyAccess", "ANPAILL3HVNFSB6DCOWYQ", "v1", ts("2015-02-06T18:39:48Z"), ts("2015-02-06T18:39:48Z"), 0,
			`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*","iam:Get*","iam:List*","ec2:Describe*"],"Resource":"*"}]}`))
	return &pe{s: s}
}

func (b *pe) managed(arn string) *snapshot.ManagedPolicy { return Policy(b.s, arn) }

func (b *pe) attachCount(arn string) {
	if p := b.managed(arn); p != nil {
		p.AttachmentCount++
	}
}

// userOpts describe a user's credentials.
type userOpts struct {
	keys     int  // active access keys
	password bool // console password
	mfa      bool // virtual MFA device assigned
}

// user adds a user with an inline policy of stmts (none when empty) and
// one active access key.
func (b *pe) user(name string, stmts ...st) *snapshot.User {
	return b.userWith(name, userOpts{keys: 1}, stmts...)
}

func (b *pe) userWith(name string, o userOpts, stmts ...st) *snapshot.User {
	arn := peUser(name)
	created := ts("2025-03-01T10:00:00Z")
	u := snapshot.User{Name: name, ID: ID("AIDA", AccountID+"/user/"+name), ARN: arn, Path: "/", CreateDate: created}
	if len(stmts) > 0 {
		u.InlinePolicies = []snapshot.InlinePolicy{{Name: "pe", Document: peDoc(stmts...)}}
	}
	b.s.Users = append(b.s.Users, u)
	row := EmptyRow(name, arn, created)
	for k := 1; k <= o.keys && k <= 2; k++ {
		row[fmt.Sprintf("access_key_%d_active", k)] = "true"
		row[fmt.Sprintf("access_key_%d_last_rotated", k)] = CRTime(ts("2026-11-01T09:00:00Z"))
	}
	if o.password {
		row["password_enabled"] = "true"
		row["password_last_changed"] = CRTime(ts("2026-10-01T09:00:00Z"))
		row["password_next_rotation"] = CRTime(ts("2026-12-30T09:00:00Z"))
	}
	if o.mfa {
		row["mfa_active"] = "true"
		b.s.VirtualMFADevices = append(b.s.VirtualMFADevices, snapshot.VirtualMFADevice{
			SerialNumber: accountARN + "mfa/" + name, UserARN: arn, UserName: name, EnableDate: tp("2025-03-01T10:05:00Z"),
		})
		b.s.AccountSummary["MFADevices"]++
		b.s.AccountSummary["MFADevicesInUse"]++
	}
	b.s.CredentialReport.Rows = append(b.s.CredentialReport.Rows, row)
	b.s.AccountSummary["Users"]++
	return &b.s.Users[len(b.s.Users)-1]
}

// role adds a role with trust and an inline policy of stmts.
func (b *pe) role(name string, trust json.RawMessage, stmts ...st) *snapshot.Role {
	r := snapshot.Role{Name: name, ID: ID("AROA", AccountID+"/role/"+name), ARN: peRole(name), Path: "/",
		CreateDate: ts("2025-03-01T10:00:00Z"), MaxSessionDuration: i32(3600), AssumeRolePolicyDocument: trust}
	if len(stmts) > 0 {
		r.InlinePolicies = []snapshot.InlinePolicy{{Name: "pe", Document: peDoc(stmts...)}}
	}
	b.s.Roles = append(b.s.Roles, r)
	b.s.AccountSummary["Roles"]++
	return &b.s.Roles[len(b.s.Roles)-1]
}

// adminRole adds a role holding AdministratorAccess.
func (b *pe) adminRole(name string, trust json.RawMessage) *snapshot.Role {
	r := b.role(name, trust)
	r.AttachedPolicies = []snapshot.AttachedPolicy{{Name: "AdministratorAccess", ARN: peAdminAccess}}
	b.attachCount(peAdminAccess)
	return r
}

// harmlessRole adds a role that can only read one S3 bucket.
func (b *pe) harmlessRole(name string, trust json.RawMessage) *snapshot.Role {
	return b.role(name, trust, allow("s3:GetObject", "arn:aws:s3:::pe-harmless-bucket/*"))
}

func (b *pe) group(name string, stmts ...st) *snapshot.Group {
	g := snapshot.Group{Name: name, ID: ID("AGPA", AccountID+"/group/"+name), ARN: peGroup(name), Path: "/", CreateDate: ts("2025-03-01T10:00:00Z")}
	if len(stmts) > 0 {
		g.InlinePolicies = []snapshot.InlinePolicy{{Name: "pe", Document: peDoc(stmts...)}}
	}
	b.s.Groups = append(b.s.Groups, g)
	b.s.AccountSummary["Groups"]++
	return &b.s.Groups[len(b.s.Groups)-1]
}

// customer adds a customer managed policy; versions[0] is the default.
func (b *pe) customer(name string, versions ...[]st) string {
	p := customerPolicy(name, "", string(peDoc(versions[0]...)), ts("2025-03-01T10:00:00Z"), 0)
	for i, v := range versions[1:] {
		p.Versions = append(p.Versions, snapshot.PolicyVersion{VersionID: fmt.Sprintf("v%d", i+2), CreateDate: ts("2025-04-01T10:00:00Z"), Document: peDoc(v...)})
	}
	b.s.Policies = append(b.s.Policies, p)
	b.s.AccountSummary["Policies"]++
	return p.ARN
}

func (b *pe) attach(list *[]snapshot.AttachedPolicy, arn string) {
	name := arn[strings.LastIndex(arn, "/")+1:]
	*list = append(*list, snapshot.AttachedPolicy{Name: name, ARN: arn})
	b.attachCount(arn)
}

func (b *pe) boundary(arn string) *snapshot.PermissionsBoundary {
	return &snapshot.PermissionsBoundary{Type: "PermissionsBoundaryPolicy", ARN: arn}
}

// instance adds a running EC2 instance in us-east-1 with profile.
func (b *pe) instance(id, profile string) {
	for i := range b.s.EC2Instances {
		if b.s.EC2Instances[i].Region == "us-east-1" {
			b.s.EC2Instances[i].Instances = append(b.s.EC2Instances[i].Instances,
				snapshot.EC2Instance{ID: id, State: "running", InstanceProfileARN: profile, LaunchTime: tp("2026-11-01T08:00:00Z")})
		}
	}
}

// function adds a Lambda function in us-east-1 running as role.
func (b *pe) function(name, role string) string {
	arn := "arn:aws:lambda:us-east-1:" + AccountID + ":function:" + name
	for i := range b.s.LambdaFunctions {
		if b.s.LambdaFunctions[i].Region == "us-east-1" {
			b.s.LambdaFunctions[i].Functions = append(b.s.LambdaFunctions[i].Functions, snapshot.LambdaFunction{ARN: arn, Name: name, Role: role})
		}
	}
	return arn
}

func fail(ctx string, mfa bool, why string, ids ...string) PrivescExpect {
	return PrivescExpect{Status: "FAIL", MethodIDs: ids, Context: ctx, RequiresMFA: &mfa, Why: why}
}

func passes(why string) PrivescExpect { return PrivescExpect{Status: "PASS", Why: why} }

func alreadyAdmin(why string) PrivescExpect {
	return PrivescExpect{Status: "PASS", AlreadyAdmin: true, Why: why}
}

func notAssessed(unknown, why string) PrivescExpect {
	return PrivescExpect{Status: "NOT_ASSESSED", Unknown: unknown, Why: why}
}

const (
	ctxKey   = "access_key"
	ctxNoMFA = "session_no_mfa"
	ctxMFA   = "mfa_session"
)

// PrivescExpected is every principal's expectation in f: the base
// principals' and the fixture's own.
func PrivescExpected(f PrivescFixture) map[string]PrivescExpect {
	out := PrivescBaseExpect()
	for k, v := range f.Expect {
		out[k] = v
	}
	return out
}

// PrivescPrincipals lists the users, groups and roles of s (the results
// LD-PE-01 must give), sorted.
func PrivescPrincipals(s *snapshot.Snapshot) []string {
	var out []string
	for _, u := range s.Users {
		out = append(out, u.ARN)
	}
	for _, g := range s.Groups {
		out = append(out, g.ARN)
	}
	for _, r := range s.Roles {
		out = append(out, r.ARN)
	}
	sort.Strings(out)
	return out
}

func peBuild(fn func(b *pe)) func() *snapshot.Snapshot {
	return func() *snapshot.Snapshot {
		b := privescBase()
		fn(b)
		return b.s
	}
}

// PrivescEnv is the account of the differential test: one target for
// every method the test generates principals for, and none of the guide's
// principals. Users added with AddUser hold their permissions in a
// customer managed policy of their own.
type PrivescEnv struct{ b *pe }

// PrivescEnv targets.
const (
	DiffAdminRole   = accountARN + "role/DiffAdminRole"
	DiffWeakRole    = accountARN + "role/DiffWeakRole"
	DiffAdminFn     = "arn:aws:lambda:us-east-1:" + AccountID + ":function:diff-admin-fn"
	DiffInstanceID  = "i-0dddddddddddddd01"
	DiffAdminsGroup = accountARN + "group/DiffAdmins"
)

// DiffServices are the service principals DiffAdminRole trusts.
var DiffServices = []string{"cloudformation.amazonaws.com", "ec2.amazonaws.com", "ecs-tasks.amazonaws.com",
	"glue.amazonaws.com", "lambda.amazonaws.com", "sagemaker.amazonaws.com"}

// NewPrivescEnv builds the differential account:
//   - DiffAdminRole: AdministratorAccess, trusted by DiffServices, in an
//     instance profile that a running instance uses, and the execution
//     role of the function diff-admin-fn;
//   - DiffWeakRole: a customer policy that reads one bucket, trusted by
//     Lambda;
//   - DiffAdmins: a group with AdministratorAccess and no member;
//   - diff-victim-nopassword and diff-victim-password: administrators
//     without keys or MFA, the second with a console password;
//     diff-victim-weak: no permissions, no keys.
func NewPrivescEnv() *PrivescEnv {
	b := privescBase()
	s := b.s
	s.Users, s.Groups, s.Roles, s.VirtualMFADevices = nil, nil, nil, nil
	s.CredentialReport.Rows = s.CredentialReport.Rows[:1] // root
	s.AWSConfig = nil
	delete(s.Sources, snapshot.SourceAWSConfig)
	for _, k := range []string{"Users", "Groups", "Roles", "MFADevices", "MFADevicesInUse"} {
		s.AccountSummary[k] = 0
	}
	r := b.adminRole("DiffAdminRole", trustService(DiffServices...))
	r.InstanceProfiles = []string{accountARN + "instance-profile/DiffAdmin"}
	b.instance(DiffInstanceID, accountARN+"instance-profile/DiffAdmin")
	b.function("diff-admin-fn", DiffAdminRole)
	weak := b.customer("DiffWeakPolicy", []st{allow("s3:GetObject", "arn:aws:s3:::diff-bucket/*")})
	w := b.role("DiffWeakRole", trustService("lambda.amazonaws.com"))
	b.attach(&w.AttachedPolicies, weak)
	g := b.group("DiffAdmins")
	b.attach(&g.AttachedPolicies, peAdminAccess)
	v := b.userWith("diff-victim-nopassword", userOpts{})
	b.attach(&v.AttachedPolicies, peAdminAccess)
	v = b.userWith("diff-victim-password", userOpts{password: true})
	b.attach(&v.AttachedPolicies, peAdminAccess)
	b.userWith("diff-victim-weak", userOpts{})
	return &PrivescEnv{b: b}
}

// AddUser adds a user with one active access key whose permissions are
// the customer managed policy policy (a document), and boundary (a
// document, nil for none) as its permissions boundary. It returns the
// user's ARN.
func (e *PrivescEnv) AddUser(name string, policy, boundary json.RawMessage) string {
	b := e.b
	u := b.user(name)
	p := customerPolicy("DiffP-"+name, "", string(policy), ts("2025-03-01T10:00:00Z"), 0)
	b.s.Policies = append(b.s.Policies, p)
	b.attach(&u.AttachedPolicies, p.ARN)
	if boundary != nil {
		bp := customerPolicy("DiffB-"+name, "", string(boundary), ts("2025-03-01T10:00:00Z"), 0)
		b.s.Policies = append(b.s.Policies, bp)
		b.attachCount(bp.ARN)
		u.PermissionsBoundary = b.boundary(bp.ARN)
	}
	return u.ARN
}

// Snapshot is the account built so far.
func (e *PrivescEnv) Snapshot() *snapshot.Snapshot { return e.b.s }
