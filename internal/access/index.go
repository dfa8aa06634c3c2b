package access

// The policy index: what the decider knows about each parsed policy before
// any question is asked, built once before the fan-out and read-only during
// it (no locks on the hot path).

import (
	"strings"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// policyInfo numbers a parsed policy and sorts its statements by the
// services their Action or NotAction can reach.
type policyInfo struct {
	id    int
	stmts []stmtServices
	// wild are the statements that may cover an action of any service (a
	// wildcard in a service part, or a NotAction); bySvc the others, by
	// the lower-case service prefixes they name. Both in statement order.
	wild  []int
	bySvc map[string][]int
	// dep: some statement reads the principal (a principal-specific
	// condition key, or a policy variable in a condition or a resource).
	dep bool
}

// stmtServices is the service prefixes a statement's Action or NotAction
// names (lower case); all is set when a pattern's service part has a
// wildcard.
type stmtServices struct {
	all      bool
	services map[string]bool
}

func newPolicyInfo(id int, p *iampolicy.Policy) *policyInfo {
	pi := &policyInfo{id: id, stmts: make([]stmtServices, len(p.Statements)), bySvc: map[string][]int{}}
	for si := range p.Statements {
		st := &p.Statements[si]
		info := stmtServices{services: map[string]bool{}}
		pats := st.Action
		if len(st.NotAction) > 0 {
			pats = st.NotAction
		}
		for _, pat := range pats {
			ps, _, found := strings.Cut(strings.ToLower(pat), ":")
			if !found || strings.ContainsAny(ps, "*?") {
				info.all = true
			}
			info.services[ps] = true
		}
		pi.stmts[si] = info
		if info.all || len(st.NotAction) > 0 {
			pi.wild = append(pi.wild, si)
		} else {
			for svc := range info.services {
				pi.bySvc[svc] = append(pi.bySvc[svc], si)
			}
		}
		pi.dep = pi.dep || statementDependsOnPrincipal(st) || hasVariable(st.Resource) || hasVariable(st.NotResource)
	}
	return pi
}

// candidates calls fn, in statement order, for every statement of the
// policy that may cover an action of service svc (lower case).
func (pi *policyInfo) candidates(svc string, fn func(si int)) {
	named := pi.bySvc[svc]
	i, j := 0, 0
	for i < len(pi.wild) || j < len(named) {
		if j >= len(named) || (i < len(pi.wild) && pi.wild[i] < named[j]) {
			fn(pi.wild[i])
			i++
		} else {
			fn(named[j])
			j++
		}
	}
}

// covering calls fn, in statement order, for every statement of p whose
// Action or NotAction covers action (svc is its lower-case service prefix).
func (pi *policyInfo) covering(p *iampolicy.Policy, svc, action string, fn func(si int, st *iampolicy.Statement)) {
	pi.candidates(svc, func(si int) {
		if st := &p.Statements[si]; covers(st, pi.stmts[si], svc, action) {
			fn(si, st)
		}
	})
}

// covers is st.Allows(action) with a cheap first look at the service
// prefix: most statements name a few services, and most probes are of
// other services.
func covers(st *iampolicy.Statement, info stmtServices, svc, action string) bool {
	if !info.all && !info.services[svc] {
		return len(st.NotAction) > 0 // nothing listed can match: NotAction covers it
	}
	return st.Allows(action)
}

// indexPolicies numbers every policy that applies to a principal of the
// account, in a fixed order.
func (z *analyzer) indexPolicies() {
	z.policies = map[*iampolicy.Policy]*policyInfo{}
	add := func(refs []iampolicy.PolicyRef) {
		for _, r := range refs {
			if r.Policy != nil && z.policies[r.Policy] == nil {
				z.policies[r.Policy] = newPolicyInfo(len(z.policies)+1, r.Policy)
			}
		}
	}
	for _, name := range z.a.groupNames() {
		add(z.a.groups[name])
	}
	for _, levels := range [][]iampolicy.OrgLevel{z.a.org.SCPs, z.a.org.RCPs} {
		for _, lv := range levels {
			add(lv.Policies)
		}
	}
	for _, list := range [][]*Subject{z.a.Users(), z.a.Roles()} {
		for _, s := range list {
			add(s.Set.Identity)
			if s.Set.Boundary != nil {
				add([]iampolicy.PolicyRef{*s.Set.Boundary})
			}
		}
	}
}

// info is the index entry of a policy. Every policy of the account is
// indexed before the fan-out; one that is not (a subject built later) gets
// an entry of its own that is not kept, numbered apart from the others.
func (z *analyzer) info(p *iampolicy.Policy) *policyInfo {
	if pi := z.policies[p]; pi != nil {
		return pi
	}
	return newPolicyInfo(-int(z.unindexed.Add(1)), p)
}

// setDependsOnPrincipal: some statement of the subject's policies reads
// who the principal is, so its verdicts cannot be shared with another
// subject's.
func (z *analyzer) setDependsOnPrincipal(s *Subject) bool {
	for _, r := range s.Set.Identity {
		if z.info(r.Policy).dep {
			return true
		}
	}
	for _, r := range orgRefs(&s.Set) {
		if z.info(r.Policy).dep {
			return true
		}
	}
	return s.Set.Boundary != nil && z.info(s.Set.Boundary.Policy).dep
}
