package iamtest

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// AWS Organizations (AWSOrganizationsV20161128, the AWS JSON 1.1
// protocol: POST / with X-Amz-Target) and a multi-account STS AssumeRole.
//
// A server started with NewOrgServer answers for a whole organization:
// requests signed with the management account's credentials (the static
// dummy keys of SetEnv) are the management account's; sts:AssumeRole into
// a member's audit role hands out credentials whose access key ID names
// the member (ASIA + account ID + ROLE), and requests signed with them are
// answered from that member's Account. A member may lack the role
// (AssumeRole is denied) or be throttled (every request it signs fails
// with its service's throttling error).
//
// A server for one account (NewServer) answers Organizations from
// Account.Organization: the account's path and policies, readable as the
// delegated administrator reads them, or refused (OrganizationDenied) as
// for a member that is not; an account without one is in no organization.

const orgTargetPrefix = "AWSOrganizationsV20161128."

// Org is an organization the server answers for.
type Org struct {
	ID           string // o-...
	ManagementID string // the management account's ID
	RootID       string // r-...
	RootName     string
	// PolicyTypes enabled at the root (snapshot.OrgPolicySCP, OrgPolicyRCP).
	PolicyTypes []string
	Units       []OrgUnit
	Members     []*Member // the management account included
	Policies    []OrgPolicy
	// RoleName is the audit role every member has unless Member.NoRole
	// (default lockdown-audit).
	RoleName string
}

// OrgUnit is an organizational unit under Parent (the root or an OU).
type OrgUnit struct {
	ID, Name, Parent string
}

// Member is one account of the organization.
type Member struct {
	Account *Account
	Name    string
	State   string // "" = ACTIVE
	Parent  string // the root or OU it sits in
	// NoRole: the audit role does not exist (AssumeRole is denied).
	NoRole bool
	// Throttled: every request signed with the member's credentials is
	// throttled.
	Throttled bool
	// Admin: the member is a delegated administrator and may read the
	// organization's tree and policies (the management account always may).
	Admin bool
}

// OrgPolicy is an SCP or RCP with its targets (root, OU or account IDs).
type OrgPolicy struct {
	snapshot.OrgPolicy
	Targets []string
}

func (o *Org) member(id string) *Member {
	for _, m := range o.Members {
		if m.Account.ID == id {
			return m
		}
	}
	return nil
}

// memberKey is the access key ID of a member's assumed-role credentials.
func memberKey(account string) string { return "ASIA" + account + "ROLE" }

// keyAccount is the member a memberKey names ("" for any other key).
func keyAccount(key string) string {
	if len(key) == 20 && strings.HasPrefix(key, "ASIA") && strings.HasSuffix(key, "ROLE") {
		return key[4:16]
	}
	return ""
}

// NewOrgServer starts a server for org: the management account's
// credentials are SetEnv's. Members' callers are their audit role's
// sessions.
func NewOrgServer(t testing.TB, org *Org) *Server {
	t.Helper()
	if org.RoleName == "" {
		org.RoleName = "lockdown-audit"
	}
	var mgmt *Account
	for _, m := range org.Members {
		if m.Account.ID == org.ManagementID {
			mgmt = m.Account
			continue
		}
		m.Account.CallerARN = "arn:aws:sts::" + m.Account.ID + ":assumed-role/" + org.RoleName + "/lockdown-audit"
		m.Account.CallerUserID = "AROAAUDITROLE0000001:lockdown-audit"
	}
	if mgmt == nil {
		t.Fatalf("iamtest: organization %s has no member %s (its management account)", org.ID, org.ManagementID)
	}
	s := NewServer(t, mgmt)
	s.org = org
	return s
}

// GenerateOrg is an organization of n accounts (the management account
// 100000000000 first, then 100000000001...), each a GenerateAccount of
// users users, spread over three OUs (one nested), with SCPs and RCPs
// enabled: AWS's FullAWSAccess and RCPFullAWSAccess at the root, an SCP
// denying iam:* outside the administrator role on the Workloads OU, and
// one denying leaving the organization at the root.
func GenerateOrg(n, users int) *Org {
	org := &Org{
		ID: "o-gen0000001", ManagementID: "100000000000", RootID: "r-gen0", RootName: "Root",
		PolicyTypes: []string{snapshot.OrgPolicyRCP, snapshot.OrgPolicySCP},
		Units: []OrgUnit{
			{ID: "ou-gen0-security1", Name: "Security", Parent: "r-gen0"},
			{ID: "ou-gen0-workload1", Name: "Workloads", Parent: "r-gen0"},
			{ID: "ou-gen0-prodprod1", Name: "Prod", Parent: "ou-gen0-workload1"},
		},
	}
	parents := []string{"r-gen0", "ou-gen0-security1", "ou-gen0-workload1", "ou-gen0-prodprod1"}
	for i := 0; i < n; i++ {
		id := fmt.Sprintf("1%011d", i)
		a := GenerateAccount(id, users)
		a.OrganizationsFeatures = &snapshot.OrganizationsFeatures{OrganizationID: org.ID, EnabledFeatures: []string{}}
		if i > 0 {
			a.OrganizationsError = "AccountNotManagementOrDelegatedAdministratorException"
			a.OrganizationsFeatures = nil
		}
		org.Members = append(org.Members, &Member{Account: a, Name: fmt.Sprintf("account-%d", i), Parent: parents[i%len(parents)]})
	}
	org.Policies = []OrgPolicy{
		{OrgPolicy: snapshot.OrgPolicy{ID: "p-FullAWSAccess", ARN: "arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess",
			Name: "FullAWSAccess", Type: snapshot.OrgPolicySCP, AWSManaged: true,
			Document: Doc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)},
			Targets: append([]string{"r-gen0"}, unitIDs(org.Units)...)},
		{OrgPolicy: snapshot.OrgPolicy{ID: "p-RCPFullAWSAccess", ARN: "arn:aws:organizations::aws:policy/resource_control_policy/p-RCPFullAWSAccess",
			Name: "RCPFullAWSAccess", Type: snapshot.OrgPolicyRCP, AWSManaged: true,
			Document: Doc(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"*","Resource":"*"}]}`)},
			Targets: append([]string{"r-gen0"}, unitIDs(org.Units)...)},
		{OrgPolicy: snapshot.OrgPolicy{ID: "p-denyiam00001", ARN: "arn:aws:organizations::100000000000:policy/o-gen0000001/service_control_policy/p-denyiam00001",
			Name: "DenyIAMOutsideAdmin", Type: snapshot.OrgPolicySCP,
			Document: Doc(`{"Version":"2012-10-17","Statement":[{"Sid":"DenyIAM","Effect":"Deny","Action":"iam:*","Resource":"*","Condition":{"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/AdminRole"}}}]}`)},
			Targets: []string{"ou-gen0-workload1"}},
		{OrgPolicy: snapshot.OrgPolicy{ID: "p-denyleave001", ARN: "arn:aws:organizations::100000000000:policy/o-gen0000001/service_control_policy/p-denyleave001",
			Name: "DenyLeaveOrganization", Type: snapshot.OrgPolicySCP,
			Document: Doc(`{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"organizations:LeaveOrganization","Resource":"*"}]}`)},
			Targets: []string{"r-gen0"}},
	}
	return org
}

func unitIDs(us []OrgUnit) []string {
	var out []string
	for _, u := range us {
		out = append(out, u.ID)
	}
	return out
}

// orgFromSnapshot is the organization of a one-account server: the
// account's path, its OUs and the policies attached along it.
func orgFromSnapshot(a *Account) *Org {
	so := a.Organization
	if so == nil || len(so.Path) < 2 {
		return nil
	}
	org := &Org{ID: so.ID, ManagementID: so.ManagementAccountID, RootID: so.Path[0].ID, RootName: so.Path[0].Name,
		PolicyTypes: so.PolicyTypes}
	targets := map[string][]string{}
	for i, n := range so.Path {
		for _, p := range append(append([]string{}, n.SCPs...), n.RCPs...) {
			targets[p] = append(targets[p], n.ID)
		}
		if i > 0 && i < len(so.Path)-1 {
			org.Units = append(org.Units, OrgUnit{ID: n.ID, Name: n.Name, Parent: so.Path[i-1].ID})
		}
	}
	last := so.Path[len(so.Path)-1]
	org.Members = []*Member{{Account: a, Name: last.Name, Parent: so.Path[len(so.Path)-2].ID, Admin: !a.OrganizationDenied}}
	for _, p := range so.Policies {
		org.Policies = append(org.Policies, OrgPolicy{OrgPolicy: p, Targets: targets[p.ID]})
	}
	return org
}

// orgOf is the organization the request's account is in, and whether the
// account may read its tree and policies.
func (s *Server) orgOf() (*Org, bool) {
	if s.org != nil {
		m := s.org.member(s.acct.ID)
		return s.org, m != nil && (m.Admin || s.acct.ID == s.org.ManagementID)
	}
	org := orgFromSnapshot(s.acct)
	if org == nil {
		if s.acct.OrganizationDenied {
			// A member whose recording was refused: only the
			// organization's description is known to it.
			id := "o-exampleorg1"
			if f := s.acct.OrganizationsFeatures; f != nil && f.OrganizationID != "" {
				id = f.OrganizationID
			}
			return &Org{ID: id, ManagementID: "999999999999"}, false
		}
		return nil, false
	}
	return org, org.Members[0].Admin
}

func (s *Server) writeOrgJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	s.writeJSON(w, v)
}

// orgPage pages a listing of n items by NextToken (MaxResults 1 to 20,
// default 20); ok false after writing the error.
func (s *Server) orgPage(w http.ResponseWriter, req *request, n int) (start, end int, next string, ok bool) {
	max, valid := maxResults(req.form, "MaxResults", 20, 1, 20)
	if !valid {
		s.writeErr(w, req, "InvalidInputException", "You provided a value that does not match the required pattern: MaxResults")
		return 0, 0, "", false
	}
	start, end, next, ok = s.tokenPage(req.action, req.form.Get("NextToken"), max, n)
	if !ok {
		s.writeErr(w, req, "InvalidInputException", "The NextToken is invalid.")
	}
	return start, end, next, ok
}

func withNext(m map[string]any, next string) map[string]any {
	if next != "" {
		m["NextToken"] = next
	}
	return m
}

func orgAccountJSON(org *Org, m *Member) map[string]any {
	state := m.State
	if state == "" {
		state = "ACTIVE"
	}
	return map[string]any{
		"Id": m.Account.ID, "Name": m.Name, "State": state, "JoinedMethod": "CREATED",
		"Arn":   "arn:aws:organizations::" + org.ManagementID + ":account/" + org.ID + "/" + m.Account.ID,
		"Email": "aws+" + m.Account.ID + "@example.com",
	}
}

func policySummary(p OrgPolicy) map[string]any {
	return map[string]any{"Id": p.ID, "Arn": p.ARN, "Name": p.Name, "Type": p.Type, "AwsManaged": p.AWSManaged, "Description": ""}
}

func (s *Server) serveOrganizations(w http.ResponseWriter, req *request) {
	org, admin := s.orgOf()
	if org == nil {
		s.writeErr(w, req, "AWSOrganizationsNotInUseException", "Your account is not a member of an organization.")
		return
	}
	if req.action == "DescribeOrganization" {
		// Any account in the organization may describe it.
		types := []map[string]string{}
		for _, t := range org.PolicyTypes {
			types = append(types, map[string]string{"Type": t, "Status": "ENABLED"})
		}
		s.writeOrgJSON(w, map[string]any{"Organization": map[string]any{
			"Id": org.ID, "Arn": "arn:aws:organizations::" + org.ManagementID + ":organization/" + org.ID,
			"FeatureSet": "ALL", "MasterAccountId": org.ManagementID,
			"MasterAccountArn":     "arn:aws:organizations::" + org.ManagementID + ":account/" + org.ID + "/" + org.ManagementID,
			"AvailablePolicyTypes": types,
		}})
		return
	}
	if !admin {
		s.writeErr(w, req, "AccessDeniedException", "You don't have permissions to access this resource.")
		return
	}
	children := func(parent string) (units []OrgUnit, members []*Member) {
		for _, u := range org.Units {
			if u.Parent == parent {
				units = append(units, u)
			}
		}
		for _, m := range org.Members {
			if m.Parent == parent {
				members = append(members, m)
			}
		}
		return units, members
	}
	exists := func(id string) bool {
		if id == org.RootID || org.member(id) != nil {
			return true
		}
		for _, u := range org.Units {
			if u.ID == id {
				return true
			}
		}
		return false
	}
	switch req.action {
	case "ListRoots":
		types := []map[string]string{}
		for _, t := range org.PolicyTypes {
			types = append(types, map[string]string{"Type": t, "Status": "ENABLED"})
		}
		s.writeOrgJSON(w, map[string]any{"Roots": []map[string]any{{
			"Id": org.RootID, "Name": org.RootName, "PolicyTypes": types,
			"Arn": "arn:aws:organizations::" + org.ManagementID + ":root/" + org.ID + "/" + org.RootID,
		}}})
	case "ListParents":
		child := req.form.Get("ChildId")
		parent, typ := "", ""
		if m := org.member(child); m != nil {
			parent = m.Parent
		}
		for _, u := range org.Units {
			if u.ID == child {
				parent = u.Parent
			}
		}
		if parent == "" {
			s.writeErr(w, req, "ChildNotFoundException", "We can't find an organizational unit (OU) or AWS account with the ChildId that you specified.")
			return
		}
		typ = "ORGANIZATIONAL_UNIT"
		if parent == org.RootID {
			typ = "ROOT"
		}
		s.writeOrgJSON(w, map[string]any{"Parents": []map[string]string{{"Id": parent, "Type": typ}}})
	case "DescribeOrganizationalUnit":
		id := req.form.Get("OrganizationalUnitId")
		for _, u := range org.Units {
			if u.ID == id {
				s.writeOrgJSON(w, map[string]any{"OrganizationalUnit": map[string]string{"Id": u.ID, "Name": u.Name,
					"Arn": "arn:aws:organizations::" + org.ManagementID + ":ou/" + org.ID + "/" + u.ID}})
				return
			}
		}
		s.writeErr(w, req, "OrganizationalUnitNotFoundException", "We can't find an organizational unit (OU) with the OrganizationalUnitId that you specified.")
	case "DescribeAccount":
		m := org.member(req.form.Get("AccountId"))
		if m == nil {
			s.writeErr(w, req, "AccountNotFoundException", "You specified an account that doesn't exist.")
			return
		}
		s.writeOrgJSON(w, map[string]any{"Account": orgAccountJSON(org, m)})
	case "ListOrganizationalUnitsForParent", "ListAccountsForParent":
		parent := req.form.Get("ParentId")
		if !exists(parent) {
			s.writeErr(w, req, "ParentNotFoundException", "We can't find a root or OU with the ParentId that you specified.")
			return
		}
		units, members := children(parent)
		if req.action == "ListOrganizationalUnitsForParent" {
			start, end, next, ok := s.orgPage(w, req, len(units))
			if !ok {
				return
			}
			out := []map[string]string{}
			for _, u := range units[start:end] {
				out = append(out, map[string]string{"Id": u.ID, "Name": u.Name, "Arn": "arn:aws:organizations::" + org.ManagementID + ":ou/" + org.ID + "/" + u.ID})
			}
			s.writeOrgJSON(w, withNext(map[string]any{"OrganizationalUnits": out}, next))
			return
		}
		start, end, next, ok := s.orgPage(w, req, len(members))
		if !ok {
			return
		}
		out := []map[string]any{}
		for _, m := range members[start:end] {
			out = append(out, orgAccountJSON(org, m))
		}
		s.writeOrgJSON(w, withNext(map[string]any{"Accounts": out}, next))
	case "ListAccounts":
		start, end, next, ok := s.orgPage(w, req, len(org.Members))
		if !ok {
			return
		}
		out := []map[string]any{}
		for _, m := range org.Members[start:end] {
			out = append(out, orgAccountJSON(org, m))
		}
		s.writeOrgJSON(w, withNext(map[string]any{"Accounts": out}, next))
	case "ListPolicies", "ListPoliciesForTarget":
		typ := req.form.Get("Filter")
		if typ != snapshot.OrgPolicySCP && typ != snapshot.OrgPolicyRCP {
			s.writeErr(w, req, "InvalidInputException", "You provided a value that does not match the required pattern: Filter")
			return
		}
		target := req.form.Get("TargetId")
		if req.action == "ListPoliciesForTarget" && !exists(target) {
			s.writeErr(w, req, "TargetNotFoundException", "We can't find a root, OU, account, or policy with the TargetId that you specified.")
			return
		}
		var list []OrgPolicy
		for _, p := range org.Policies {
			if p.Type != typ {
				continue
			}
			if req.action == "ListPoliciesForTarget" && !contains(p.Targets, target) {
				continue
			}
			list = append(list, p)
		}
		start, end, next, ok := s.orgPage(w, req, len(list))
		if !ok {
			return
		}
		out := []map[string]any{}
		for _, p := range list[start:end] {
			out = append(out, policySummary(p))
		}
		s.writeOrgJSON(w, withNext(map[string]any{"Policies": out}, next))
	case "DescribePolicy", "ListTargetsForPolicy":
		id := req.form.Get("PolicyId")
		for _, p := range org.Policies {
			if p.ID != id {
				continue
			}
			if req.action == "DescribePolicy" {
				s.writeOrgJSON(w, map[string]any{"Policy": map[string]any{"PolicySummary": policySummary(p), "Content": string(p.Document)}})
				return
			}
			targets := append([]string(nil), p.Targets...)
			sort.Strings(targets)
			start, end, next, ok := s.orgPage(w, req, len(targets))
			if !ok {
				return
			}
			out := []map[string]string{}
			for _, tid := range targets[start:end] {
				typ, name := "ORGANIZATIONAL_UNIT", ""
				switch {
				case tid == org.RootID:
					typ, name = "ROOT", org.RootName
				case org.member(tid) != nil:
					typ, name = "ACCOUNT", org.member(tid).Name
				default:
					for _, u := range org.Units {
						if u.ID == tid {
							name = u.Name
						}
					}
				}
				out = append(out, map[string]string{"TargetId": tid, "Type": typ, "Name": name,
					"Arn": "arn:aws:organizations::" + org.ManagementID + ":" + strings.ToLower(typ) + "/" + org.ID + "/" + tid})
			}
			s.writeOrgJSON(w, withNext(map[string]any{"Targets": out}, next))
			return
		}
		s.writeErr(w, req, "PolicyNotFoundException", "We can't find a policy with the PolicyId that you specified.")
	default:
		s.writeErr(w, req, "UnknownOperationException", "The operation "+req.action+" is not supported by this server")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// assumeRole answers sts:AssumeRole in an organization: the member's
// audit role, unless it has none.
func (s *Server) assumeRole(w http.ResponseWriter, roleARN, name string) {
	parts := strings.SplitN(roleARN, ":", 6)
	account, role := "", ""
	if len(parts) == 6 {
		account, role = parts[4], strings.TrimPrefix(parts[5], "role/")
	}
	var m *Member
	if s.org != nil {
		m = s.org.member(account)
	}
	if m == nil || m.NoRole || role != s.org.RoleName {
		s.writeError(w, stsNS, "AccessDenied", "User: "+s.acct.CallerARN+" is not authorized to perform: sts:AssumeRole on resource: "+roleARN)
		return
	}
	s.respond(w, stsNS, "AssumeRole", func(x *xw) {
		x.open("Credentials")
		x.leaf("AccessKeyId", memberKey(account))
		x.leaf("SecretAccessKey", "orgtest/secret/"+account)
		x.leaf("SessionToken", "orgtest-session-token-"+account)
		x.time("Expiration", time.Now().Add(time.Hour))
		x.close("Credentials")
		x.open("AssumedRoleUser")
		x.leaf("AssumedRoleId", "AROAAUDITROLE0000001:"+name)
		x.leaf("Arn", "arn:aws:sts::"+account+":assumed-role/"+role+"/"+name)
		x.close("AssumedRoleUser")
	})
}

// AssumeRoleCount is the number of AssumeRole requests for account's role.
func (s *Server) AssumeRoleCount(account string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, f := range s.requests["AssumeRole"] {
		if strings.Contains(f.Get("RoleArn"), ":"+account+":") {
			n++
		}
	}
	return n
}

// AccountRequests is the number of requests signed with account's
// credentials (its assumed role, or the caller's for the management
// account).
func (s *Server) AccountRequests(account string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byAccount[account]
}

// orgActions are the Organizations operations the server answers.
var orgActions = map[string]bool{
	"DescribeOrganization": true, "ListRoots": true, "ListParents": true, "DescribeOrganizationalUnit": true,
	"DescribeAccount": true, "ListOrganizationalUnitsForParent": true, "ListAccountsForParent": true,
	"ListAccounts": true, "ListPolicies": true, "ListPoliciesForTarget": true, "DescribePolicy": true,
	"ListTargetsForPolicy": true,
}

// SampleOrganization is an organization as account's own source reads it
// when the account is a delegated administrator: root, an OU and the
// account, AWS's FullAWSAccess and RCPFullAWSAccess at every level and an
// SCP denying iam:* outside AdminRole on the OU.
func SampleOrganization(account string) *snapshot.Organization {
	g := GenerateOrg(0, 0)
	nodes := []snapshot.OrgNode{
		{ID: g.RootID, Type: "ROOT", Name: g.RootName},
		{ID: "ou-gen0-workload1", Type: "ORGANIZATIONAL_UNIT", Name: "Workloads"},
		{ID: account, Type: "ACCOUNT", Name: "sample-" + account},
	}
	org := &snapshot.Organization{ID: g.ID, ManagementAccountID: g.ManagementID, PolicyTypes: g.PolicyTypes, Policies: []snapshot.OrgPolicy{}}
	for i := range nodes {
		nodes[i].SCPs, nodes[i].RCPs = []string{}, []string{}
		for _, p := range g.Policies {
			if contains(p.Targets, nodes[i].ID) || (i == 2 && p.ID == "p-FullAWSAccess") || (i == 2 && p.ID == "p-RCPFullAWSAccess") {
				if p.Type == snapshot.OrgPolicySCP {
					nodes[i].SCPs = append(nodes[i].SCPs, p.ID)
				} else {
					nodes[i].RCPs = append(nodes[i].RCPs, p.ID)
				}
			}
		}
		sort.Strings(nodes[i].SCPs)
		sort.Strings(nodes[i].RCPs)
	}
	org.Path = nodes
	for _, p := range g.Policies {
		org.Policies = append(org.Policies, p.OrgPolicy)
	}
	sort.Slice(org.Policies, func(i, j int) bool { return org.Policies[i].ID < org.Policies[j].ID })
	return org
}
