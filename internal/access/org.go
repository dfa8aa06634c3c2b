package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Organization policies: the SCPs over the account bound what its users and
// roles may do, the RCPs what anyone may do to its resources (AWS
// Organizations User Guide). They apply to every user, role and group
// member of a member account except service-linked roles, and to no
// principal or resource of the management account.

// OrgPolicies says whether and why organization policies take part in the
// account's decisions.
type OrgPolicies struct {
	Applied bool
	// Note says why they are left out when they are (no organization, the
	// management account, not in the snapshot, a policy that cannot be read).
	Note string
	SCPs []iampolicy.OrgLevel
	RCPs []iampolicy.OrgLevel
}

// Org is how organization policies take part in the account's decisions.
func (a *Account) Org() OrgPolicies { return a.org }

// readOrganization turns the snapshot's organization view into policy
// levels. Anything it cannot read leaves all organization policies out:
// they can only take permissions away, so without them a verdict that
// something is refused still holds, while one that it is allowed may be one
// an SCP prevents. That is said in Note, never hidden.
func readOrganization(snap *snapshot.Snapshot, accountID string) (OrgPolicies, []Problem) {
	st, attempted := snap.Sources[snapshot.SourceOrganization]
	o := snap.Organization
	switch {
	case !attempted:
		return OrgPolicies{Note: "the snapshot has no organization policies (source organization not collected): decisions leave SCPs and RCPs out"}, nil
	case st.Status != snapshot.StatusOK:
		return OrgPolicies{Note: "the organization policies could not be read (source organization: " + st.Status + "): decisions leave SCPs and RCPs out"}, nil
	case o == nil:
		return OrgPolicies{Note: "the account is in no organization"}, nil
	case o.ManagementAccountID == accountID:
		return OrgPolicies{Note: "the management account: SCPs and RCPs do not apply to it"}, nil
	}
	byID := map[string]*snapshot.OrgPolicy{}
	for i := range o.Policies {
		byID[o.Policies[i].ID] = &o.Policies[i]
	}
	var problems []Problem
	parsed := map[string]*iampolicy.Policy{}
	level := func(node snapshot.OrgNode, ids []string, kind string) (iampolicy.OrgLevel, bool) {
		lv := iampolicy.OrgLevel{Target: node.ID}
		for _, id := range ids {
			p := byID[id]
			if p == nil {
				problems = append(problems, Problem{Item: "organization policy " + id, Resource: node.ID, Missing: true,
					Message: fmt.Sprintf("attached to %s but not in the snapshot's organization policies", node.ID)})
				return lv, false
			}
			pol, ok := parsed[id]
			if !ok {
				var err error
				if pol, err = iampolicy.Parse(p.Name, p.Document); err != nil {
					problems = append(problems, Problem{Item: "organization policy " + id, Resource: p.ARN, Message: err.Error()})
					return lv, false
				}
				parsed[id] = pol
			}
			lv.Policies = append(lv.Policies, iampolicy.PolicyRef{Kind: kind, Name: p.Name, ARN: p.ARN, Policy: pol})
		}
		return lv, true
	}
	out := OrgPolicies{Applied: true}
	for _, node := range o.Path {
		if slices.Contains(o.PolicyTypes, snapshot.OrgPolicySCP) {
			lv, ok := level(node, node.SCPs, iampolicy.KindSCP)
			if !ok {
				return OrgPolicies{Note: "an organization policy cannot be read: decisions leave SCPs and RCPs out"}, problems
			}
			out.SCPs = append(out.SCPs, lv)
		}
		if slices.Contains(o.PolicyTypes, snapshot.OrgPolicyRCP) {
			lv, ok := level(node, node.RCPs, iampolicy.KindRCP)
			if !ok {
				return OrgPolicies{Note: "an organization policy cannot be read: decisions leave SCPs and RCPs out"}, problems
			}
			out.RCPs = append(out.RCPs, lv)
		}
	}
	return out, problems
}

// serviceLinked: AWS creates these roles for its services; neither SCPs
// nor RCPs restrict them.
func serviceLinked(roleARN string) bool {
	return strings.Contains(roleARN, ":role/aws-service-role/")
}

// withOrg gives a subject's policy set the organization's levels, unless
// the subject is exempt.
func (a *Account) withOrg(s *Subject) {
	if !a.org.Applied || (s.Kind == "role" && serviceLinked(s.ARN)) {
		return
	}
	s.Set.SCPs, s.Set.RCPs = a.org.SCPs, a.org.RCPs
}

// orgRefs lists the organization policies in a set, for the decision
// caches: their statements decide requests as identity statements do.
func orgRefs(set *iampolicy.PolicySet) []iampolicy.PolicyRef {
	if set == nil {
		return nil
	}
	var out []iampolicy.PolicyRef
	for _, levels := range [][]iampolicy.OrgLevel{set.SCPs, set.RCPs} {
		for _, lv := range levels {
			out = append(out, lv.Policies...)
		}
	}
	return out
}

// orgPolicyLabel prefixes the name of an organization policy with its kind,
// so that evidence says where a deny comes from.
func orgPolicyLabel(kind string) string {
	switch kind {
	case iampolicy.KindSCP:
		return "SCP "
	case iampolicy.KindRCP:
		return "RCP "
	}
	return ""
}

// denyEvidence names the first Deny statement of a decision and, when an
// organization policy denies too, the first such statement: an SCP that
// requires MFA is worth naming beside the account's own policy.
func denyEvidence(matched []iampolicy.MatchedStatement) string {
	var first, org string
	for _, m := range matched {
		if Effect(m.Effect) != EffectDeny {
			continue
		}
		label := orgPolicyLabel(m.PolicyKind) + m.Policy + " statement " + m.Label()
		if first == "" {
			first = label
		}
		if org == "" && orgPolicyLabel(m.PolicyKind) != "" {
			org = label
		}
	}
	if org != "" && org != first {
		return first + " (and " + org + ")"
	}
	return first
}
