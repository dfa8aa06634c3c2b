package access

// Accessors for the privilege-escalation analysis (internal/privesc): the
// account's groups as their hypothetical members see them, and the probe
// helpers that analysis shares with this package.

import (
	"sort"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// GroupMember is a group of the account with the hypothetical user that is
// a member of only that group (the subject the group's verdicts are about).
type GroupMember struct {
	Name    string
	ARN     string
	Subject *Subject
}

// GroupMembers returns every group, sorted by name, each with its
// hypothetical member (a user named lockdown-probe-user holding the group's
// policies and nothing else).
func (a *Account) GroupMembers() []GroupMember {
	out := make([]GroupMember, 0, len(a.groupARN))
	for _, name := range a.groupNames() {
		p := iampolicy.Principal{ARN: "arn:" + a.Partition + ":iam::" + a.ID + ":user/lockdown-probe-user", AccountID: a.ID,
			Type: "user", Name: "lockdown-probe-user", ID: "AIDALOCKDOWNPROBEUSER"}
		s := &Subject{Kind: "user", Name: p.Name, ARN: p.ARN, Principal: p,
			Set: iampolicy.PolicySet{Identity: a.groups[name]}, viaGroup: name}
		a.withOrg(s) // as analyzer.member: a member of a member account is bound by SCPs
		out = append(out, GroupMember{Name: name, ARN: a.groupARN[name], Subject: s})
	}
	return out
}

// UserGroups returns the names of the groups a user is a member of, sorted.
func (a *Account) UserGroups(userARN string) []string {
	gs := append([]string(nil), a.userGroups[userARN]...)
	sort.Strings(gs)
	return gs
}

// GroupARN returns the ARN of the group named name, or "".
func (a *Account) GroupARN(name string) string { return a.groupARN[name] }

// Instantiate turns a Resource pattern into a concrete resource the subject
// could name: its policy variables filled in for the subject, each "*"
// replaced by "lockdown-probe" and each "?" by "x". For an action that
// creates a resource, the caller picks the name, so a pattern's instance is
// a resource the caller can create.
func Instantiate(pattern string, s *Subject) string { return instantiate(pattern, s) }

// DependsOnPrincipal reports whether some statement of the policy set reads
// who the principal is (a principal-specific condition key, or a policy
// variable in a condition or a Resource), so that two subjects with the same
// policies may still get different decisions.
func DependsOnPrincipal(set iampolicy.PolicySet) bool {
	refs := set.Identity
	if set.Boundary != nil {
		refs = append(append([]iampolicy.PolicyRef(nil), refs...), *set.Boundary)
	}
	refs = append(append([]iampolicy.PolicyRef(nil), refs...), orgRefs(&set)...)
	for _, r := range refs {
		if r.Policy == nil {
			continue
		}
		for i := range r.Policy.Statements {
			st := &r.Policy.Statements[i]
			if statementDependsOnPrincipal(st) || hasVariable(st.Resource) || hasVariable(st.NotResource) {
				return true
			}
		}
	}
	return false
}

// AdminActions returns the actions the engine counts as
// administrator-equivalent (each lets a principal grant any permission),
// and AnyActionProbe the action only an "any action" grant allows.
func AdminActions() []string { return append([]string(nil), adminActions...) }

// AnyActionProbe is an action no service defines: only a statement that
// grants every action allows it.
const AnyActionProbe = anyActionProbe

// StatementDependsOnPrincipal reports whether a statement reads who the
// principal is: a principal-specific condition key, or a policy variable
// in a condition or in Resource/NotResource.
func StatementDependsOnPrincipal(st *iampolicy.Statement) bool {
	return statementDependsOnPrincipal(st) || hasVariable(st.Resource) || hasVariable(st.NotResource)
}

// OrgRefs lists the SCPs and RCPs in a policy set, every level's in order.
func OrgRefs(set iampolicy.PolicySet) []iampolicy.PolicyRef { return orgRefs(&set) }
