package engine

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/lockdown-dev/lockdown/internal/findings"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

var ownChecks = []string{
	"LD-ROOT-01", "LD-ROOT-02", "LD-ROOT-03", "LD-ROOT-04", "LD-PWD-01", "LD-MFA-03", "LD-GRP-02",
	"LD-KEY-01", "LD-KEY-02", "LD-KEY-03", "LD-ADM-04", "LD-CLI-01", "LD-CLI-02", "LD-CLI-03",
}

// guideAccount is the account as the guide builds it: alice in Users and
// Administrators, AdminRole with AdminPolicy, the admin CLI profile.
func guideAccount() *snapshot.Snapshot {
	s := newSnap()
	for _, src := range []string{snapshot.SourcePasswordPolicy, snapshot.SourceAuthorizationDetails, snapshot.SourceAWSConfig} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	}
	alice := "arn:aws:iam::" + acct + ":user/alice"
	s.CredentialReport = crRows(
		rootLine(true, false, "no_information"),
		"alice,"+alice+",2026-11-01T00:00:00+00:00,true,2026-11-26T09:00:00+00:00,2026-11-01T00:00:00+00:00,N/A,true,true,2026-11-01T00:00:00+00:00,2026-11-27T05:13:52+00:00,us-east-1,sts,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A",
	)
	s.VirtualMFADevices = []snapshot.VirtualMFADevice{{SerialNumber: "arn:aws:iam::" + acct + ":mfa/alice", UserARN: alice, UserName: "alice"}}
	minLen, reuse := int32(14), int32(24)
	s.PasswordPolicy = &snapshot.PasswordPolicy{MinimumPasswordLength: &minLen, PasswordReusePrevention: &reuse, RequireSymbols: true,
		RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true}
	pol := func(name, doc string) snapshot.ManagedPolicy {
		return snapshot.ManagedPolicy{Name: name, ARN: "arn:aws:iam::" + acct + ":policy/" + name, DefaultVersionID: "v1",
			Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, Document: json.RawMessage(doc)}}}
	}
	s.Policies = []snapshot.ManagedPolicy{
		pol("AdminPolicy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`),
		pol("AssumeAdminRole", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:AssumeRole","Resource":["arn:aws:iam::*:role/AdminRole"],"Condition":{"Bool":{"aws:MultiFactorAuthPresent":true,"aws:SecureTransport":true},"NumericLessThan":{"aws:MultiFactorAuthAge":"3600"}}}]}`),
		pol("IAMRequireMFA", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["iam:ChangePassword"],"Resource":["arn:aws:iam::*:user/${aws:username}"]},{"Sid":"DoNotAllowAnythingOtherThanAboveUnlessMFA","Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`),
	}
	att := func(name string) []snapshot.AttachedPolicy {
		return []snapshot.AttachedPolicy{{Name: name, ARN: "arn:aws:iam::" + acct + ":policy/" + name}}
	}
	s.Groups = []snapshot.Group{
		{Name: "Administrators", ARN: "arn:aws:iam::" + acct + ":group/Administrators", AttachedPolicies: att("AssumeAdminRole")},
		{Name: "Users", ARN: "arn:aws:iam::" + acct + ":group/Users", AttachedPolicies: att("IAMRequireMFA")},
	}
	s.Users = []snapshot.User{{Name: "alice", ARN: alice, Groups: []string{"Administrators", "Users"}}}
	hour := int32(3600)
	s.Roles = []snapshot.Role{{Name: "AdminRole", ARN: "arn:aws:iam::" + acct + ":role/AdminRole", MaxSessionDuration: &hour,
		AssumeRolePolicyDocument: json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + acct + `:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`),
		AttachedPolicies:         att("AdminPolicy")}}
	s.AWSConfig = &snapshot.AWSConfig{Dir: "/home/alice/.aws", CredentialsFileFound: true, ConfigFileFound: true, CredentialsFileMode: "0600",
		Profiles: []snapshot.AWSProfile{
			{Name: "admin", RoleARN: "arn:aws:iam::" + acct + ":role/AdminRole", SourceProfile: "default", MFASerial: "arn:aws:iam::" + acct + ":mfa/alice"},
			{Name: "default", AccessKeyID: "AKIAIOSFODNN7EXAMPLE", AccessKeyOwnerARN: alice},
		}}
	snapshot.Normalize(s)
	return s
}

func statusByCheck(rs []findings.Result) map[string][]string {
	out := map[string][]string{}
	for _, r := range rs {
		out[r.CheckID] = append(out[r.CheckID], string(r.Status)+" "+r.Resource.Name+" "+r.Detail+": "+r.Message)
	}
	return out
}

func TestGuideAccountPasses(t *testing.T) {
	e := newEngine(t, Options{})
	rs := eval(t, e, guideAccount(), ownChecks...)
	by := statusByCheck(rs)
	for _, id := range ownChecks {
		if len(by[id]) == 0 {
			t.Errorf("%s: no result", id)
		}
		for _, line := range by[id] {
			if !strings.HasPrefix(line, "PASS") {
				t.Errorf("%s: %s", id, line)
			}
		}
	}
}

func TestGuideAccountBroken(t *testing.T) {
	s := guideAccount()
	alice := "arn:aws:iam::" + acct + ":user/alice"
	s.CredentialReport = crRows(
		rootLine(false, true, "2026-11-25T00:00:00+00:00"),
		"alice,"+alice+",2025-01-01T00:00:00+00:00,true,2026-01-01T00:00:00+00:00,2025-01-01T00:00:00+00:00,N/A,false,true,2025-01-01T00:00:00+00:00,2025-06-01T00:00:00+00:00,us-east-1,s3,true,2026-11-01T00:00:00+00:00,N/A,N/A,N/A,false,N/A,false,N/A",
	)
	s.PasswordPolicy = nil
	s.Users[0].InlinePolicies = []snapshot.InlinePolicy{{Name: "mine", Document: json.RawMessage(`{"Statement":[]}`)}}
	twelve := int32(43200)
	s.Roles[0].MaxSessionDuration = &twelve
	s.AWSConfig.CredentialsFileMode = "0644"
	s.AWSConfig.Profiles[0].MFASerial = ""
	s.AWSConfig.Profiles[1].AccessKeyOwnerARN = "arn:aws:iam::" + acct + ":root"
	rs := eval(t, newEngine(t, Options{}), s, ownChecks...)
	by := statusByCheck(rs)
	for _, id := range ownChecks {
		failed := false
		for _, line := range by[id] {
			failed = failed || strings.HasPrefix(line, "FAIL")
		}
		if !failed {
			t.Errorf("%s: no FAIL in %v", id, by[id])
		}
	}
}
