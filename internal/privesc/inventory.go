package privesc

import (
	"strings"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// AdminVersions finds the customer managed policies with a version that is
// not the default and that on its own grants administrator-equivalent power
// (any action, or one of the engine's administrator actions, on any
// resource): iam:SetDefaultPolicyVersion on such a policy is an
// escalation. The map is policy ARN -> version id.
func AdminVersions(snap *snapshot.Snapshot) map[string]string {
	out := map[string]string{}
	acct := snap.Account.ID
	partition := snap.Account.Partition
	if partition == "" {
		partition = "aws"
	}
	probe := iampolicy.Principal{ARN: "arn:" + partition + ":iam::" + acct + ":user/lockdown-probe-user", AccountID: acct,
		Type: "user", Name: "lockdown-probe-user", ID: "AIDALOCKDOWNPROBEUSER"}
	ctx, err := iampolicy.NamedContext(iampolicy.ContextMFASession, probe, iampolicy.ContextOptions{CurrentTime: snap.CollectedAt})
	if err != nil {
		return out
	}
	actions := append([]string{access.AnyActionProbe}, access.AdminActions()...)
	for i := range snap.Policies {
		p := &snap.Policies[i]
		for _, v := range p.Versions {
			if v.IsDefaultVersion || v.VersionID == p.DefaultVersionID || len(v.Document) == 0 {
				continue
			}
			pol, err := iampolicy.Parse(p.Name+" "+v.VersionID, v.Document)
			if err != nil {
				continue
			}
			set := iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{{Kind: string(access.KindUserManaged), Name: pol.Name, ARN: p.ARN, Policy: pol}}}
			for _, a := range actions {
				res := "arn:" + partition + ":iam::" + acct + ":"
				switch {
				case a == access.AnyActionProbe:
					res = "*"
				case strings.Contains(a, "Role"):
					res += "role/lockdown-probe-role"
				case strings.Contains(a, "Group"):
					res += "group/lockdown-probe-group"
				case strings.Contains(a, "PolicyVersion"):
					res += "policy/lockdown-probe-policy"
				default:
					res += "user/lockdown-other-user"
				}
				if iampolicy.Evaluate(set, iampolicy.Request{Principal: probe, Action: a, Resource: res, Context: ctx}).Allowed {
					out[p.ARN] = v.VersionID
					break
				}
			}
			if out[p.ARN] != "" {
				break
			}
		}
	}
	return out
}
