// Package access joins a snapshot's identities with their parsed policies so
// that the IAM policy engine can answer "may this principal do this?". It is
// the one place that knows which policies apply to whom.
package access

import (
	"fmt"
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
	pdep     bool   // a condition of the set depends on the principal
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
	maxSession map[string]int32    // role ARN -> MaxSessionDuration
}

func (a *Account) groupNames() []string {
	names := make([]string, 0, len(a.groupARN))
	for n := range a.groupARN {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// New parses every policy that applies to a user or role. A document that
// does not parse is an error naming the entity and the policy: a check must
// never pass because a policy was silently dropped.
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
		maxSession: map[string]int32{},
	}
	if a.Partition == "" {
		a.Partition = "aws"
	}
	managed := map[string]*iampolicy.Policy{}
	for i := range snap.Policies {
		p := &snap.Policies[i]
		doc := p.DefaultDocument()
		if doc == nil {
			return nil, fmt.Errorf("managed policy %s: no default version document", p.ARN)
		}
		parsed, err := iampolicy.Parse(p.Name, doc)
		if err != nil {
			return nil, fmt.Errorf("managed policy %s: %w", p.ARN, err)
		}
		managed[p.ARN] = parsed
	}
	attached := func(owner, kind string, list []snapshot.AttachedPolicy) ([]iampolicy.PolicyRef, error) {
		var refs []iampolicy.PolicyRef
		for _, ap := range list {
			pol, ok := managed[ap.ARN]
			if !ok {
				return nil, fmt.Errorf("%s: attached policy %s is not in the snapshot's policies", owner, ap.ARN)
			}
			refs = append(refs, iampolicy.PolicyRef{Kind: kind, Name: ap.Name, ARN: ap.ARN, Policy: pol})
		}
		return refs, nil
	}
	inline := func(owner, kind string, list []snapshot.InlinePolicy) ([]iampolicy.PolicyRef, error) {
		var refs []iampolicy.PolicyRef
		for _, ip := range list {
			pol, err := iampolicy.Parse(ip.Name, ip.Document)
			if err != nil {
				return nil, fmt.Errorf("%s: inline policy %q: %w", owner, ip.Name, err)
			}
			refs = append(refs, iampolicy.PolicyRef{Kind: kind, Name: ip.Name, ARN: owner, Policy: pol})
		}
		return refs, nil
	}
	boundary := func(owner string, b *snapshot.PermissionsBoundary) (*iampolicy.PolicyRef, error) {
		if b == nil || b.ARN == "" {
			return nil, nil
		}
		pol, ok := managed[b.ARN]
		if !ok {
			return nil, fmt.Errorf("%s: permissions boundary %s is not in the snapshot's policies", owner, b.ARN)
		}
		return &iampolicy.PolicyRef{Kind: "boundary", Name: pol.Name, ARN: b.ARN, Policy: pol}, nil
	}

	for i := range snap.Groups {
		g := &snap.Groups[i]
		in, err := inline(g.ARN, "group-inline", g.InlinePolicies)
		if err != nil {
			return nil, err
		}
		at, err := attached(g.ARN, "group-managed", g.AttachedPolicies)
		if err != nil {
			return nil, err
		}
		a.groups[g.Name] = append(in, at...)
		a.groupARN[g.Name] = g.ARN
	}
	for i := range snap.Users {
		u := &snap.Users[i]
		s := &Subject{Kind: "user", Name: u.Name, ARN: u.ARN, Principal: iampolicy.Principal{
			ARN: u.ARN, AccountID: a.ID, Type: "user", Name: u.Name, ID: u.ID, Tags: tags(u.Tags),
		}}
		in, err := inline(u.ARN, "user-inline", u.InlinePolicies)
		if err != nil {
			return nil, err
		}
		at, err := attached(u.ARN, "user-managed", u.AttachedPolicies)
		if err != nil {
			return nil, err
		}
		s.Set.Identity = append(in, at...)
		for _, gname := range u.Groups {
			s.Set.Identity = append(s.Set.Identity, a.groups[gname]...)
		}
		if s.Set.Boundary, err = boundary(u.ARN, u.PermissionsBoundary); err != nil {
			return nil, err
		}
		a.users[u.ARN] = s
		a.userGroups[u.ARN] = u.Groups
		a.byName[u.Name] = append(a.byName[u.Name], s)
	}
	for i := range snap.Roles {
		r := &snap.Roles[i]
		s := &Subject{Kind: "role", Name: r.Name, ARN: r.ARN, Principal: iampolicy.Principal{
			ARN: r.ARN, AccountID: a.ID, Type: "role", Name: r.Name, ID: r.ID, Tags: tags(r.Tags), RoleARN: r.ARN,
		}}
		in, err := inline(r.ARN, "role-inline", r.InlinePolicies)
		if err != nil {
			return nil, err
		}
		at, err := attached(r.ARN, "role-managed", r.AttachedPolicies)
		if err != nil {
			return nil, err
		}
		s.Set.Identity = append(in, at...)
		if s.Set.Boundary, err = boundary(r.ARN, r.PermissionsBoundary); err != nil {
			return nil, err
		}
		if len(r.AssumeRolePolicyDocument) > 0 {
			tp, err := iampolicy.Parse(r.Name+" trust policy", r.AssumeRolePolicyDocument)
			if err != nil {
				return nil, fmt.Errorf("role %s: trust policy: %w", r.ARN, err)
			}
			a.trust[r.ARN] = tp
		}
		a.roles[r.ARN] = s
		if r.MaxSessionDuration != nil {
			a.maxSession[r.ARN] = *r.MaxSessionDuration
		} else {
			a.maxSession[r.ARN] = 3600 // IAM's default when none is set
		}
		a.byName[r.Name] = append(a.byName[r.Name], s)
	}
	return a, nil
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
				iampolicy.PolicyRef{Kind: "trust", Name: tp.Name, ARN: resource, Policy: tp})
		}
	}
	return iampolicy.Evaluate(set, iampolicy.Request{Principal: s.Principal, Action: action, Resource: resource, Context: ctx})
}
