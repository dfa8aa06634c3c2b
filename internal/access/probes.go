package access

// Probe generation: which actions to try for a policy set, and on which resources.

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// userProbes: a fixed sample of every service's actions plus every concrete
// action the user's Allow statements name, minus self-service; computed
// once per policy set.
func (z *analyzer) userProbes(u *Subject) []probe {
	key := z.policyKey(u)
	if p, ok := z.probes.Load(key); ok {
		return p.([]probe)
	}
	p := z.computeProbes(u)
	z.probes.Store(key, p)
	return p
}

// probe is an action to try and the identity of the statements (of any
// effect) whose Action covers it.
type probe struct {
	action   string
	sig      int      // the covering statements, numbered within the policy set
	patterns []string // Resource patterns (not "*") of the covering Allow statements
}

func (z *analyzer) computeProbes(u *Subject) []probe {
	refs := u.Set.Identity
	if u.Set.Boundary != nil {
		refs = append(append([]iampolicy.PolicyRef(nil), refs...), *u.Set.Boundary)
	}
	seen := map[string]bool{} // the actions the Allow statements name, probed first
	// The probes are gathered in a reused buffer and kept at their exact
	// size: a policy set reaching every service has thousands, and growing
	// a new slice for each of thousands of sets was a quarter of the
	// analysis's allocations.
	scratch := probeScratch.Get().(*[]probe)
	out := (*scratch)[:0]
	defer func() {
		clear(out)
		*scratch = out[:0]
		probeScratch.Put(scratch)
	}()
	sigs := map[string]int{}
	var sig []byte
	// The statements that may cover an action of a service, per service:
	// the same for every action of it.
	type candidate struct {
		ri, si int
		st     *iampolicy.Statement
		info   stmtServices
	}
	bySvc := map[string][]candidate{}
	var wildOnly []candidate // for a service no statement names: the wild statements alone
	wildDone := false
	candidates := func(svc string) []candidate {
		c, ok := bySvc[svc]
		if ok {
			return c
		}
		named := false
		for _, r := range refs {
			if len(z.info(r.Policy).bySvc[svc]) > 0 {
				named = true
				break
			}
		}
		if !named && wildDone {
			return wildOnly
		}
		for ri, r := range refs {
			pi := z.info(r.Policy)
			pi.candidates(svc, func(si int) {
				c = append(c, candidate{ri: ri, si: si, st: &r.Policy.Statements[si], info: pi.stmts[si]})
			})
		}
		if named {
			bySvc[svc] = c
		} else {
			wildOnly, wildDone = c, true
		}
		return c
	}
	add := func(a, svc string) {
		sig = sig[:0]
		var patterns []string
		allow := false
		for _, c := range candidates(svc) {
			if !covers(c.st, c.info, svc, a) {
				continue
			}
			sig = strconv.AppendInt(sig, int64(c.ri), 10)
			sig = append(sig, '.')
			sig = strconv.AppendInt(sig, int64(c.si), 10)
			sig = append(sig, ',')
			if Effect(c.st.Effect) == EffectAllow && c.ri < len(u.Set.Identity) {
				allow = true
				for _, pat := range c.st.Resource {
					if pat != "*" && !slices.Contains(patterns, pat) {
						patterns = append(patterns, pat)
					}
				}
			}
		}
		if allow {
			id, ok := sigs[string(sig)]
			if !ok {
				id = len(sigs)
				sigs[string(sig)] = id
			}
			out = append(out, probe{action: a, sig: id, patterns: patterns})
		}
	}
	sampleSeen := make([]bool, len(probeSample())) // sample actions already probed as named ones
	addNamed := func(a string) {
		k := strings.ToLower(a)
		if seen[k] || selfService[k] || unauthorised[k] {
			return
		}
		seen[k] = true
		if i, ok := sampleIndex()[k]; ok {
			sampleSeen[i] = true
		}
		svc, _, _ := strings.Cut(k, ":")
		add(a, svc)
	}
	// Only services an Allow statement can reach are worth probing.
	allServices := false
	services := map[string]bool{}
	for _, r := range u.Set.Identity {
		pi := z.info(r.Policy)
		for i := range r.Policy.Statements {
			st := &r.Policy.Statements[i]
			if Effect(st.Effect) != EffectAllow {
				continue
			}
			info := pi.stmts[i]
			if info.all || len(st.NotAction) > 0 {
				allServices = true
			}
			for svc := range info.services {
				services[svc] = true
			}
			for _, pat := range st.Action {
				exp := expandAction(pat)
				if len(exp) == 0 && !strings.ContainsAny(pat, "*?") {
					exp = []string{pat}
				}
				if len(exp) <= maxWildcardList {
					for _, a := range exp {
						addNamed(a)
					}
				}
			}
		}
	}
	for i, e := range probeSample() {
		if e.skip || sampleSeen[i] {
			continue
		}
		if allServices || services[e.service] {
			add(e.action, e.service)
		}
	}
	return slices.Clone(out)
}

var probeScratch = sync.Pool{New: func() any { return new([]probe) }}

// anyResource is the candidate resources of a probe whose Allow statements
// name no resource pattern (read only).
var anyResource = []string{"*"}

// candidateResources: "*" and each Resource pattern of the Allow statements
// that cover the action, with wildcards and the user's variables filled in,
// so that a resource-scoped allow is found too.
func candidateResources(u *Subject, pr probe) []string {
	if len(pr.patterns) == 0 {
		return anyResource
	}
	out := []string{"*"}
	for _, pat := range pr.patterns {
		if res := instantiate(pat, u); !slices.Contains(out, res) {
			out = append(out, res)
		}
	}
	return out
}

func instantiate(pattern string, u *Subject) string {
	if strings.Contains(pattern, "${") {
		pattern = strings.ReplaceAll(pattern, "${aws:username}", u.Name)
		pattern = strings.ReplaceAll(pattern, "${aws:userid}", u.Principal.ID)
		pattern = strings.ReplaceAll(pattern, "${aws:PrincipalAccount}", u.Principal.AccountID)
	}
	if strings.ContainsAny(pattern, "*?") {
		pattern = strings.ReplaceAll(pattern, "*", "lockdown-probe")
		pattern = strings.ReplaceAll(pattern, "?", "x")
	}
	return pattern
}
