package access

// Trust-policy reading: whom a role's trust policy admits, with or without MFA.

import (
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// trust reads a role's trust policy: who outside the account it admits,
// and which Allow statements admit a same-account principal without MFA.
func (z *analyzer) trust(r *Subject) Trust {
	t := Trust{Outsiders: []string{}, WithoutMFA: []string{}}
	tp := z.a.trust[r.ARN]
	if tp == nil {
		return t
	}
	t.Present = true
	seen := map[string]bool{}
	addOutsider := func(p string) {
		if !seen[p] {
			seen[p] = true
			t.Outsiders = append(t.Outsiders, p)
		}
	}
	var probes []iampolicy.Principal
	for i := range tp.Statements {
		st := &tp.Statements[i]
		if Effect(st.Effect) != EffectAllow || !st.Allows("sts:AssumeRole") {
			continue
		}
		if st.NotPrincipal != nil {
			addOutsider("NotPrincipal (everyone not listed)")
		}
		ps := st.Principal
		if ps == nil {
			continue
		}
		if ps.Wildcard {
			addOutsider("*")
		}
		for _, p := range ps.AWS {
			acct := principalAccount(p)
			if p == "*" {
				addOutsider("*")
				continue
			}
			if acct != z.a.ID {
				addOutsider(p)
				continue
			}
			probes = append(probes, z.probePrincipal(p))
		}
		for _, p := range ps.Service {
			addOutsider("service:" + p)
		}
		for _, p := range ps.Federated {
			addOutsider("federated:" + p)
		}
		for _, p := range ps.CanonicalUser {
			addOutsider("canonical-user:" + p)
		}
	}
	sort.Strings(t.Outsiders)
	ref := iampolicy.PolicyRef{Kind: string(KindTrust), Name: tp.Name, ARN: r.ARN, Policy: tp}
	noMFA := map[string]bool{}
	for _, p := range probes {
		for _, cn := range contextsWithoutMFA {
			c, _ := iampolicy.NamedContext(string(cn), p, iampolicy.ContextOptions{CurrentTime: z.opts.Now})
			d := iampolicy.Evaluate(iampolicy.PolicySet{Resource: []iampolicy.PolicyRef{ref}},
				iampolicy.Request{Principal: p, Action: "sts:AssumeRole", Resource: r.ARN, Context: c})
			if d.Effect == iampolicy.ExplicitDeny {
				continue
			}
			for _, m := range d.Matched {
				if Effect(m.Effect) == EffectAllow && PolicyKind(m.PolicyKind) == KindTrust {
					noMFA[m.Label()] = true
				}
			}
		}
	}
	for l := range noMFA {
		t.WithoutMFA = append(t.WithoutMFA, l)
	}
	sort.Strings(t.WithoutMFA)
	return t
}

// principalAccount is the account of an AWS principal: a bare account ID or
// the account field of an ARN.
func principalAccount(p string) string {
	if !strings.HasPrefix(p, "arn:") {
		return p
	}
	parts := strings.SplitN(p, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[4]
}

// probePrincipal is a same-account principal that a trust policy entry
// admits: the named user or role, or any user of the account for the root.
func (z *analyzer) probePrincipal(p string) iampolicy.Principal {
	if s, ok := z.a.users[p]; ok {
		return s.Principal
	}
	if s, ok := z.a.roles[p]; ok {
		return s.Principal
	}
	return iampolicy.Principal{ARN: z.arn("user/lockdown-probe-user"), AccountID: z.a.ID, Type: "user",
		Name: "lockdown-probe-user", ID: "AIDALOCKDOWNPROBEUSER"}
}
