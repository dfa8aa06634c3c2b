package access

import (
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
	"github.com/lockdown-dev/lockdown/internal/snapshot/snapshottest"
)

// requireMFASCP denies everything but self-service without MFA, as the
// guide's IAMRequireMFA does, for every principal but the break-glass user.
const requireMFASCP = `{"Version":"2012-10-17","Statement":[{"Sid":"DenyAllWithoutMFA","Effect":"Deny",
"NotAction":["iam:ChangePassword","iam:GetUser","iam:ListMFADevices","iam:ListVirtualMFADevices","iam:CreateVirtualMFADevice","iam:EnableMFADevice","sts:GetSessionToken"],
"Resource":"*","Condition":{"BoolIfExists":{"aws:MultiFactorAuthPresent":"false"},
"ArnNotLike":{"aws:PrincipalArn":"arn:aws:iam::*:user/breakglass"}}}]}`

// inOrganization puts the guide's account as written under the
// organization's default policies plus scp at the root.
func inOrganization(t *testing.T, scp string, management string) *snapshot.Snapshot {
	t.Helper()
	s := guideAccount(false)
	o := snapshottest.CISOrganization()
	o.ManagementAccountID = management
	o.Path[2].ID = acct
	o.Policies = append(o.Policies, snapshot.OrgPolicy{ID: "p-requiremfa1", ARN: "arn:aws:organizations::" + management + ":policy/o-a1b2c3d4e5/service_control_policy/p-requiremfa1",
		Name: "RequireMFA", Type: snapshot.OrgPolicySCP, Document: snapshottest.OrgDocument(scp)})
	o.Path[0].SCPs = append(o.Path[0].SCPs, "p-requiremfa1")
	s.Organization = o
	s.Sources[snapshot.SourceOrganization] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	// breakglass: a second member of Administrators, exempt in the SCP.
	for _, u := range s.Users {
		if u.ARN == alice {
			bg := u
			bg.Name, bg.ARN, bg.ID = "breakglass", "arn:aws:iam::"+acct+":user/breakglass", "AIDABREAKGLASS000001"
			s.Users = append(s.Users, bg)
			break
		}
	}
	return s
}

func TestSCPRequiringMFASatisfiesTheGuide(t *testing.T) {
	without := analyzeSnap(t, guideAccount(false))
	if len(without.Users[alice].WithoutMFA) == 0 {
		t.Fatal("precondition: the guide as written lets alice use IAM without MFA")
	}
	s := inOrganization(t, requireMFASCP, "999988887777")
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if org := a.Org(); !org.Applied || len(org.SCPs) != 3 || len(org.RCPs) != 3 {
		t.Fatalf("organization policies not applied: %+v", org)
	}
	an := analyzeSnap(t, s)
	u := an.Users[alice]
	if len(u.WithoutMFA) != 0 || u.AdminWithoutMFA {
		t.Errorf("the SCP denies alice everything without MFA, got without_mfa %+v admin_without_mfa %v", u.WithoutMFA, u.AdminWithoutMFA)
	}
	if !u.MFAEnforced {
		t.Errorf("MFA is enforced for alice (IAMRequireMFA and the SCP)")
	}
	// The decision names the SCP statement that refuses IAM without MFA.
	if d := decide(t, a, alice, "iam:CreateUser", "arn:aws:iam::"+acct+":user/mallory", "access_key"); d.Allowed ||
		!strings.Contains(d.Reason, "scp policy RequireMFA statement DenyAllWithoutMFA") {
		t.Errorf("iam:CreateUser with access keys: %s (%s), want denied by the SCP's statement", d.Effect, d.Reason)
	}
	if len(u.Admin) == 0 {
		t.Error("alice stays administrator-equivalent with MFA")
	}
	// The exemption reads the principal: its decisions are not shared
	// with alice's, though both hold exactly the same policies.
	bg := an.Users["arn:aws:iam::"+acct+":user/breakglass"]
	if bg == nil || len(bg.WithoutMFA) == 0 {
		t.Fatalf("breakglass is exempt from the SCP: %+v", bg)
	}
	// A user whose only MFA requirement is the SCP is told so.
	sOnly := inOrganization(t, requireMFASCP, "999988887777")
	for i := range sOnly.Users {
		if sOnly.Users[i].ARN == alice {
			sOnly.Users[i].Groups = []string{"Administrators"}
		}
	}
	if u := analyzeSnap(t, sOnly).Users[alice]; !u.MFAEnforced || u.MFAEnforcedBy != "SCP RequireMFA statement DenyAllWithoutMFA" {
		t.Errorf("alice outside Users: MFA enforced %v by %q, want the SCP's statement", u.MFAEnforced, u.MFAEnforcedBy)
	}
	// A group's hypothetical member is bound too.
	if g := an.Groups["arn:aws:iam::"+acct+":group/Administrators"]; g == nil || !g.RequiresMFA {
		t.Errorf("a member of Administrators needs MFA under the SCP: %+v", g)
	}
}

func TestSCPsSkipTheManagementAccount(t *testing.T) {
	s := inOrganization(t, requireMFASCP, acct)
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if org := a.Org(); org.Applied || !strings.Contains(org.Note, "management account") {
		t.Fatalf("SCPs must not apply to the management account: %+v", org)
	}
	if len(analyzeSnap(t, s).Users[alice].WithoutMFA) == 0 {
		t.Error("in the management account the SCP changes nothing")
	}
}

func TestSCPsSkipServiceLinkedRoles(t *testing.T) {
	s := inOrganization(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`, "999988887777")
	slr := "arn:aws:iam::" + acct + ":role/aws-service-role/support.amazonaws.com/AWSServiceRoleForSupport"
	var admin snapshot.Role
	for _, r := range s.Roles {
		if r.ARN == adminRole {
			admin = r
		}
	}
	admin.Name, admin.ARN, admin.Path, admin.ID = "AWSServiceRoleForSupport", slr, "/aws-service-role/support.amazonaws.com/", "AROASLR0000000000001"
	s.Roles = append(s.Roles, admin)
	an := analyzeSnap(t, s)
	if an.Roles[adminRole].Admin {
		t.Error("an SCP that denies everything leaves AdminRole no power")
	}
	if !an.Roles[slr].Admin {
		t.Error("SCPs do not restrict service-linked roles: the copy of AdminRole's policies stays administrator-equivalent")
	}
}

func TestUnreadableOrganizationPolicyLeavesThemAllOut(t *testing.T) {
	s := inOrganization(t, requireMFASCP, "999988887777")
	s.Organization.Path[1].SCPs = append(s.Organization.Path[1].SCPs, "p-notthere1")
	a, err := New(s)
	if err != nil {
		t.Fatal(err)
	}
	if org := a.Org(); org.Applied || org.Note == "" {
		t.Fatalf("a dangling policy ID must leave organization policies out, saying so: %+v", org)
	}
	found := false
	for _, p := range a.Problems {
		found = found || (p.Item == "organization policy p-notthere1" && p.Missing)
	}
	if !found {
		t.Errorf("no problem names the missing policy: %+v", a.Problems)
	}
	// Without them a verdict may over-state what is allowed, never under-state it.
	if len(analyzeSnap(t, s).Users[alice].WithoutMFA) == 0 {
		t.Error("without the organization policies alice's grants without MFA are reported")
	}
}
