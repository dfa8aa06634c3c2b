// Package access joins a snapshot's identities with their parsed policies so
// that the IAM policy engine can answer "may this principal do this?". It is
// the one place that knows which policies apply to whom.
package access

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// Subject is a principal of the account together with every policy that
// applies to its requests.
type Subject struct {
	Kind      string // "user" or "role"
	Name      string
	ARN       string
	Principal iampolicy.Principal
	Set       iampolicy.PolicySet

	viaGroup string // for a group's hypothetical member: the group
	pid      int    // interned policy-set identity for the decision cache
}

// Account is the snapshot's identities, policies parsed once.
type Account struct {
	ID        string
	Partition string

	users  map[string]*Subject // by ARN
	roles  map[string]*Subject // by ARN
	byName map[string][]*Subject
	trust  map[string]*iampolicy.Policy // role ARN -> trust policy
	groups map[string][]iampolicy.PolicyRef

	groupARN   map[string]string   // group name -> ARN
	userGroups map[string][]string // user ARN -> group names
	maxSession map[string]*int32   // role ARN -> MaxSessionDuration (nil: not in the snapshot)

	// unknown: principals (users, groups, roles by ARN) whose policies are
	// not completely known, and why; Problems names each item at fault.
	unknown  map[string]string
	Problems []Problem

	org OrgPolicies // the organization's SCPs and RCPs over the account
}

func (a *Account) groupNames() []string {
	names := make([]string, 0, len(a.groupARN))
	for n := range a.groupARN {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Problem is one item of the snapshot's authorization details that could
// not be used: a policy that does not parse (or that IAM would reject), an
// attached policy or group the snapshot does not describe. Affects lists the
// users, groups and roles whose policy picture it leaves incomplete (ARNs,
// sorted).
type Problem struct {
	Item     string   // e.g. "managed policy arn:...", "user arn:... inline policy \"x\""
	Resource string   // the ARN of the item (or of its owner)
	Message  string   // what is wrong with it
	Affects  []string // ARNs of the principals it leaves unknown
	// Missing is true when the item is referred to but not described
	// (a group, an attached policy); false when it is there but unusable.
	Missing bool
}

// New parses every policy that applies to a user or role. A document that
// does not parse, an attached policy or a group the snapshot does not
// describe, is a Problem naming the item: the principals it applies to are
// marked unknown (Unknown, Problems) and left out of the analysis, so that
// a check never passes because a policy was silently dropped, while every
// other principal is still judged. The error is reserved for a snapshot
// that cannot be read at all (none today).
func New(snap *snapshot.Snapshot) (*Account, error) {
	a := &Account{
		ID:        snap.Account.ID,
		Partition: snap.Account.Partition,
		users:     map[string]*Subject{},
		roles:     map[string]*Subject{},
		byName:    map[string][]*Subject{},
		trust:     map[string]*iampolicy.Policy{},
		groups:    map[string][]iampolicy.PolicyRef{},

		groupARN:   map[string]string{},
		userGroups: map[string][]string{},
		maxSession: map[string]*int32{},
		unknown:    map[string]string{},
	}
	if a.Partition == "" {
		a.Partition = "aws"
	}
	// problem records an item problem and marks the principals it affects.
	problem := func(item, resource, msg string, missing bool, affects ...string) {
		for _, arn := range affects {
			if _, seen := a.unknown[arn]; !seen {
				a.unknown[arn] = item + ": " + msg
			}
		}
		a.Problems = append(a.Problems, Problem{Item: item, Resource: resource, Message: msg, Affects: affects, Missing: missing})
	}
	// Documents are parsed once each: many roles carry the same trust
	// policy, many principals the same inline policy. A policy met again
	// is a copy under its own name sharing the parsed statements, which
	// are only read.
	parsed := map[string]*iampolicy.Policy{}
	parse := func(name string, doc []byte) (*iampolicy.Policy, error) {
		if p, ok := parsed[string(doc)]; ok {
			cp := *p
			cp.Name = name
			return &cp, nil
		}
		p, err := iampolicy.Parse(name, doc)
		if err == nil {
			parsed[string(doc)] = p
		}
		return p, err
	}
	managed := map[string]*iampolicy.Policy{}
	badManaged := map[string]bool{}
	for i := range snap.Policies {
		p := &snap.Policies[i]
		doc := p.DefaultDocument()
		if doc == nil {
			badManaged[p.ARN] = true
			continue
		}
		parsed, err := iampolicy.Parse(p.Name, doc)
		if err != nil {
			badManaged[p.ARN] = true
			continue
		}
		managed[p.ARN] = parsed
	}
	// users, groups and roles each managed policy applies to, for the
	// problems of policies that do not parse.
	appliesTo := map[string][]string{}
	groupMembers := map[string][]string{}
	for i := range snap.Users {
		u := &snap.Users[i]
		for _, g := range u.Groups {
			groupMembers[g] = append(groupMembers[g], u.ARN)
		}
	}
	note := func(owner string, list []snapshot.AttachedPolicy, b *snapshot.PermissionsBoundary, extra ...string) {
		for _, ap := range list {
			appliesTo[ap.ARN] = append(append(appliesTo[ap.ARN], owner), extra...)
		}
		if b != nil && b.ARN != "" {
			appliesTo[b.ARN] = append(appliesTo[b.ARN], owner)
		}
	}
	for i := range snap.Groups {
		g := &snap.Groups[i]
		note(g.ARN, g.AttachedPolicies, nil, groupMembers[g.Name]...)
	}
	for i := range snap.Users {
		note(snap.Users[i].ARN, snap.Users[i].AttachedPolicies, snap.Users[i].PermissionsBoundary)
	}
	for i := range snap.Roles {
		note(snap.Roles[i].ARN, snap.Roles[i].AttachedPolicies, snap.Roles[i].PermissionsBoundary)
	}
	for i := range snap.Policies {
		p := &snap.Policies[i]
		if !badManaged[p.ARN] {
			continue
		}
		item := "managed policy " + p.ARN
		var msg string
		if doc := p.DefaultDocument(); doc == nil {
			msg = fmt.Sprintf("default version %q is not in the snapshot", p.DefaultVersionID)
		} else if _, err := iampolicy.Parse(p.Name, doc); err != nil {
			msg = err.Error()
		}
		problem(item, p.ARN, msg, false, uniqueSorted(appliesTo[p.ARN])...)
	}
	attached := func(owner, kind string, list []snapshot.AttachedPolicy, affects []string) []iampolicy.PolicyRef {
		var refs []iampolicy.PolicyRef
		for _, ap := range list {
			pol, ok := managed[ap.ARN]
			if !ok {
				if !badManaged[ap.ARN] {
					problem(owner+" attached policy "+ap.ARN, ap.ARN, "the policy is not in the snapshot's policies", true, affects...)
				}
				continue
			}
			refs = append(refs, iampolicy.PolicyRef{Kind: kind, Name: ap.Name, ARN: ap.ARN, Policy: pol})
		}
		return refs
	}
	inline := func(owner, kind string, list []snapshot.InlinePolicy, affects []string) []iampolicy.PolicyRef {
		var refs []iampolicy.PolicyRef
		for _, ip := range list {
			pol, err := parse(ip.Name, ip.Document)
			if err != nil {
				problem(fmt.Sprintf("%s inline policy %q", owner, ip.Name), owner, err.Error(), false, affects...)
				continue
			}
			refs = append(refs, iampolicy.PolicyRef{Kind: kind, Name: ip.Name, ARN: owner, Policy: pol})
		}
		return refs
	}
	boundary := func(owner string, b *snapshot.PermissionsBoundary) *iampolicy.PolicyRef {
		if b == nil || b.ARN == "" {
			return nil
		}
		pol, ok := managed[b.ARN]
		if !ok {
			if !badManaged[b.ARN] {
				problem(owner+" permissions boundary "+b.ARN, b.ARN, "the policy is not in the snapshot's policies", true, owner)
			}
			return nil
		}
		return &iampolicy.PolicyRef{Kind: string(KindBoundary), Name: pol.Name, ARN: b.ARN, Policy: pol}
	}

	for i := range snap.Groups {
		g := &snap.Groups[i]
		affects := uniqueSorted(append([]string{g.ARN}, groupMembers[g.Name]...))
		in := inline(g.ARN, string(KindGroupInline), g.InlinePolicies, affects)
		at := attached(g.ARN, string(KindGroupManaged), g.AttachedPolicies, affects)
		a.groups[g.Name] = append(in, at...)
		a.groupARN[g.Name] = g.ARN
	}
	for i := range snap.Users {
		u := &snap.Users[i]
		s := &Subject{Kind: "user", Name: u.Name, ARN: u.ARN, Principal: iampolicy.Principal{
			ARN: u.ARN, AccountID: a.ID, Type: "user", Name: u.Name, ID: u.ID, Tags: tags(u.Tags),
		}}
		in := inline(u.ARN, string(KindUserInline), u.InlinePolicies, []string{u.ARN})
		at := attached(u.ARN, string(KindUserManaged), u.AttachedPolicies, []string{u.ARN})
		s.Set.Identity = append(in, at...)
		for _, gname := range u.Groups {
			if _, ok := a.groupARN[gname]; !ok {
				problem(fmt.Sprintf("%s group %q", u.ARN, gname), u.ARN,
					"the user is a member of a group the snapshot does not describe", true, u.ARN)
				continue
			}
			s.Set.Identity = append(s.Set.Identity, a.groups[gname]...)
		}
		s.Set.Boundary = boundary(u.ARN, u.PermissionsBoundary)
		a.users[u.ARN] = s
		a.userGroups[u.ARN] = u.Groups
		a.byName[u.Name] = append(a.byName[u.Name], s)
	}
	for i := range snap.Roles {
		r := &snap.Roles[i]
		s := &Subject{Kind: "role", Name: r.Name, ARN: r.ARN, Principal: iampolicy.Principal{
			ARN: r.ARN, AccountID: a.ID, Type: "role", Name: r.Name, ID: r.ID, Tags: tags(r.Tags), RoleARN: r.ARN,
		}}
		in := inline(r.ARN, string(KindRoleInline), r.InlinePolicies, []string{r.ARN})
		at := attached(r.ARN, string(KindRoleManaged), r.AttachedPolicies, []string{r.ARN})
		s.Set.Identity = append(in, at...)
		s.Set.Boundary = boundary(r.ARN, r.PermissionsBoundary)
		if len(r.AssumeRolePolicyDocument) > 0 {
			tp, err := parse(r.Name+" trust policy", r.AssumeRolePolicyDocument)
			if err != nil {
				problem(r.ARN+" trust policy", r.ARN, err.Error(), false, r.ARN)
			} else {
				a.trust[r.ARN] = tp
			}
		}
		a.roles[r.ARN] = s
		if r.MaxSessionDuration != nil {
			v := *r.MaxSessionDuration
			a.maxSession[r.ARN] = &v
		}
		a.byName[r.Name] = append(a.byName[r.Name], s)
	}
	var orgProblems []Problem
	a.org, orgProblems = readOrganization(snap, a.ID)
	a.Problems = append(a.Problems, orgProblems...)
	for _, m := range []map[string]*Subject{a.users, a.roles} {
		for _, s := range m {
			a.withOrg(s)
		}
	}
	sort.SliceStable(a.Problems, func(i, j int) bool { return a.Problems[i].Item < a.Problems[j].Item })
	return a, nil
}

// Unknown returns why the policies of the user, group or role arn are not
// completely known, or "".
func (a *Account) Unknown(arn string) string { return a.unknown[arn] }

func uniqueSorted(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return slices.Compact(out)
}

func tags(ts []snapshot.Tag) map[string]string {
	if len(ts) == 0 {
		return nil
	}
	m := make(map[string]string, len(ts))
	for _, t := range ts {
		m[t.Key] = t.Value
	}
	return m
}

// Lookup finds a user or role by ARN or by name. A name shared by a user and
// a role is ambiguous and must be given as an ARN.
func (a *Account) Lookup(ref string) (*Subject, error) {
	s, err := a.lookup(ref)
	if err == nil && a.unknown[s.ARN] != "" {
		return nil, fmt.Errorf("the policies of %s are not completely known (%s)", s.ARN, a.unknown[s.ARN])
	}
	return s, err
}

func (a *Account) lookup(ref string) (*Subject, error) {
	if s, ok := a.users[ref]; ok {
		return s, nil
	}
	if s, ok := a.roles[ref]; ok {
		return s, nil
	}
	matches := a.byName[ref]
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return nil, fmt.Errorf("no user or role %q in the snapshot", ref)
	}
	arns := make([]string, len(matches))
	for i, m := range matches {
		arns[i] = m.ARN
	}
	return nil, fmt.Errorf("%q names several principals (%s); give the ARN", ref, strings.Join(arns, ", "))
}

// Users returns every user subject, sorted by ARN.
func (a *Account) Users() []*Subject { return sorted(a.users) }

// Roles returns every role subject, sorted by ARN.
func (a *Account) Roles() []*Subject { return sorted(a.roles) }

func sorted(m map[string]*Subject) []*Subject {
	out := make([]*Subject, 0, len(m))
	for _, s := range m {
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ARN < out[j].ARN })
	return out
}

// Trust returns a role's trust policy, or nil.
func (a *Account) Trust(roleARN string) *iampolicy.Policy { return a.trust[roleARN] }

// Decide asks the policy engine what IAM would decide for subject doing
// action on resource with the given request context. For sts:AssumeRole on
// a role of this account the role's trust policy takes part, as in AWS.
func (a *Account) Decide(s *Subject, action, resource string, ctx map[string][]string) iampolicy.Decision {
	set := s.Set
	if strings.EqualFold(action, "sts:AssumeRole") {
		if tp := a.trust[resource]; tp != nil {
			set.Resource = append(append([]iampolicy.PolicyRef(nil), set.Resource...),
				iampolicy.PolicyRef{Kind: string(KindTrust), Name: tp.Name, ARN: resource, Policy: tp})
		}
	}
	return iampolicy.Evaluate(set, iampolicy.Request{Principal: s.Principal, Action: action, Resource: resource, Context: ctx})
}
