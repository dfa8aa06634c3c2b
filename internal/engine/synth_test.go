package engine

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// syntheticSnapshot builds a large, varied account: users in groups with
// credentials of every kind, roles with managed and inline policies (some
// full admin), and customer managed policies. Deterministic for a given size.
func syntheticSnapshot(users, roles, policies int) *snapshot.Snapshot {
	s := newSnap()
	for _, src := range []string{snapshot.SourcePasswordPolicy, snapshot.SourceAuthorizationDetails, snapshot.SourceAWSConfig, snapshot.SourceAccountAliases} {
		s.Sources[src] = snapshot.SourceStatus{Status: snapshot.StatusOK}
	}
	minLen, reuse := int32(14), int32(24)
	s.PasswordPolicy = &snapshot.PasswordPolicy{MinimumPasswordLength: &minLen, PasswordReusePrevention: &reuse,
		RequireSymbols: true, RequireNumbers: true, RequireUppercaseCharacters: true, RequireLowercaseCharacters: true, AllowUsersToChangePassword: true}
	created := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	arn := func(kind, name string) string { return fmt.Sprintf("arn:aws:iam::%s:%s/%s", acct, kind, name) }
	doc := func(i int) json.RawMessage {
		if i%97 == 0 {
			return json.RawMessage(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`)
		}
		return json.RawMessage(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Sid":"Read%d","Effect":"Allow","Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::bucket-%d","arn:aws:s3:::bucket-%d/*"]},{"Effect":"Allow","Action":"ec2:Describe*","Resource":"*","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}},{"Effect":"Deny","NotAction":"iam:*","Resource":"*","Condition":{"Null":{"aws:MultiFactorAuthAge":"true"}}}]}`, i, i, i))
	}
	for i := 0; i < policies; i++ {
		name := fmt.Sprintf("policy-%05d", i)
		s.Policies = append(s.Policies, snapshot.ManagedPolicy{
			Name: name, ARN: arn("policy", name), Path: "/", DefaultVersionID: "v1", AttachmentCount: 1, IsAttachable: true,
			CreateDate: created, UpdateDate: created,
			Versions: []snapshot.PolicyVersion{{VersionID: "v1", IsDefaultVersion: true, CreateDate: created, Document: doc(i)}},
		})
	}
	attached := func(i int) []snapshot.AttachedPolicy {
		if policies == 0 {
			return nil
		}
		p := s.Policies[i%policies]
		return []snapshot.AttachedPolicy{{Name: p.Name, ARN: p.ARN}}
	}
	const groups = 50
	for g := 0; g < groups; g++ {
		name := fmt.Sprintf("group-%02d", g)
		s.Groups = append(s.Groups, snapshot.Group{Name: name, ARN: arn("group", name), Path: "/", CreateDate: created,
			AttachedPolicies: attached(g * 7)})
	}
	for i := 0; i < roles; i++ {
		name := fmt.Sprintf("role-%05d", i)
		dur := int32(3600 * (1 + i%12))
		s.Roles = append(s.Roles, snapshot.Role{
			Name: name, ARN: arn("role", name), Path: "/", CreateDate: created, MaxSessionDuration: &dur,
			AssumeRolePolicyDocument: json.RawMessage(fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::%s:root"},"Action":"sts:AssumeRole","Condition":{"Bool":{"aws:MultiFactorAuthPresent":"true"}}}]}`, acct)),
			AttachedPolicies:         append(attached(i), attached(i*3+1)...),
			InlinePolicies:           []snapshot.InlinePolicy{{Name: "inline", Document: doc(i + 1)}},
		})
	}
	lines := []string{rootLine(true, false, "2026-01-01T00:00:00+00:00")}
	for i := 0; i < users; i++ {
		name := fmt.Sprintf("user-%05d", i)
		u := snapshot.User{Name: name, ARN: arn("user", name), Path: "/", CreateDate: created,
			Groups: []string{fmt.Sprintf("group-%02d", i%groups), fmt.Sprintf("group-%02d", (i*7)%groups)}}
		if i%10 == 0 {
			u.AttachedPolicies = attached(i)
		}
		if i%25 == 0 {
			u.InlinePolicies = []snapshot.InlinePolicy{{Name: "own", Document: doc(i)}}
		}
		s.Users = append(s.Users, u)
		pw := []string{"true", "2026-11-01T00:00:00+00:00", "2025-01-01T00:00:00+00:00"}
		if i%3 == 0 {
			pw = []string{"false", "N/A", "N/A"}
		} else if i%3 == 1 {
			pw[1] = "no_information"
		}
		k1 := "true,2026-10-01T00:00:00+00:00,2026-11-26T00:00:00+00:00,us-east-1,s3"
		if i%4 == 0 {
			k1 = "true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A"
		}
		k2 := "false,N/A,N/A,N/A,N/A"
		if i%9 == 0 {
			k2 = "true,2026-11-01T00:00:00+00:00,2026-11-02T00:00:00+00:00,eu-west-1,ec2"
		}
		lines = append(lines, fmt.Sprintf("%s,%s,2025-01-01T00:00:00+00:00,%s,%s,%s,N/A,%v,%s,%s,false,N/A,false,N/A",
			name, u.ARN, pw[0], pw[1], pw[2], i%2 == 0, k1, k2))
		if i%2 == 0 {
			s.VirtualMFADevices = append(s.VirtualMFADevices, snapshot.VirtualMFADevice{SerialNumber: arn("mfa", name), UserARN: u.ARN, UserName: name})
		}
	}
	s.CredentialReport = crRows(lines...)
	s.AWSConfig = &snapshot.AWSConfig{Dir: "/home/u/.aws", CredentialsFileFound: true, ConfigFileFound: true, CredentialsFileMode: "0600",
		Profiles: []snapshot.AWSProfile{
			{Name: "default", AccessKeyID: "AKIAEXAMPLE000000001", AccessKeyOwnerARN: arn("user", "user-00001")},
			{Name: "admin", RoleARN: arn("role", "role-00000"), SourceProfile: "default", MFASerial: arn("mfa", "user-00001")},
		}}
	snapshot.Normalize(s)
	return s
}
