package access

// The memoised decider: iampolicy.Evaluate behind caches shared by subjects with the same policies.

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

type analyzer struct {
	a    *Account
	opts AnalyzeOptions

	// decisions caches Evaluate for requests whose outcome cannot depend on
	// who the principal is (see requestKey).
	decisions  sync.Map   // decisionKey -> iampolicy.Decision
	probes     sync.Map   // policy-set key -> []probe
	stmtSvcs   sync.Map   // *iampolicy.Statement -> stmtServices
	actionDep  sync.Map   // actionKey -> actionInfo
	stmtIDs    sync.Map   // *iampolicy.Statement -> int
	mu         sync.Mutex // guards setIDs and nextStmtID
	setIDs     map[string]int
	nextStmtID int
}

func (z *analyzer) ctx(name ContextName, s *Subject, mod func(map[string][]string)) map[string][]string {
	c, err := iampolicy.NamedContext(string(name), s.Principal, iampolicy.ContextOptions{CurrentTime: z.opts.Now})
	if err != nil {
		panic(err) // the names are constants of this file
	}
	if mod != nil {
		mod(c)
	}
	return c
}

// decide evaluates a request.
func (z *analyzer) decide(s *Subject, action, resource string, c map[string][]string) iampolicy.Decision {
	return iampolicy.Evaluate(s.Set, iampolicy.Request{Principal: s.Principal, Action: action, Resource: resource, Context: c})
}

// decideCached shares decisions between subjects with the same policies on
// resources that do not name the subject, unless a condition reads a
// principal-specific key or variable (then the subject is part of the key).
// cacheTag names the request context.
func (z *analyzer) decideCached(s *Subject, cacheTag ContextName, action, resource string, c map[string][]string) iampolicy.Decision {
	key := decisionKey{set: z.requestKey(s, action), tag: cacheTag, action: action, resource: resource}
	if d, ok := z.decisions.Load(key); ok {
		return d.(iampolicy.Decision)
	}
	d := z.decide(s, action, resource, c)
	z.decisions.Store(key, d)
	return d
}

// requestKey identifies what decides a request for one action: the
// statements whose Action covers it (identity and boundary statements told
// apart, and whether a boundary is present at all), and the principal's
// type. Subjects with the same key get the same decision unless one of those
// statements reads the principal: a principal-specific condition key, or a
// policy variable in a condition or in Resource/NotResource (a
// role/${aws:username} pattern decides differently for each user). Then the
// subject itself is part of the key.
func (z *analyzer) requestKey(s *Subject, action string) setKey {
	pk := z.policyKey(s)
	dk := actionKey{policies: pk, action: action}
	v, ok := z.actionDep.Load(dk)
	if !ok {
		svc, _, _ := strings.Cut(strings.ToLower(action), ":")
		var sig []byte
		dep := false
		// The policy's kind (user-managed, group-inline, boundary, ...) is
		// part of the key: decisions report it.
		scan := func(kind PolicyKind, p *iampolicy.Policy) {
			for i := range p.Statements {
				st := &p.Statements[i]
				if !z.covers(st, svc, action) {
					continue
				}
				sig = append(sig, kind...)
				sig = append(sig, ':')
				sig = strconv.AppendInt(sig, int64(z.statementID(st)), 10)
				dep = dep || statementDependsOnPrincipal(st) || hasVariable(st.Resource) || hasVariable(st.NotResource)
			}
		}
		for _, r := range s.Set.Identity {
			scan(PolicyKind(r.Kind), r.Policy)
		}
		if s.Set.Boundary != nil {
			sig = append(sig, '|')
			scan(KindBoundary, s.Set.Boundary.Policy)
		}
		v, _ = z.actionDep.LoadOrStore(dk, actionInfo{sig: string(sig), dep: dep})
	}
	info := v.(actionInfo)
	key := setKey{statements: info.sig, principalType: s.Principal.Type}
	if info.dep {
		key.subject = s.ARN
	}
	return key
}

func hasVariable(patterns []string) bool {
	for _, p := range patterns {
		if strings.Contains(p, "${") {
			return true
		}
	}
	return false
}

// statementID numbers statements; parsed managed policies are shared, so
// the same statement has the same number for every subject.
func (z *analyzer) statementID(st *iampolicy.Statement) int {
	if v, ok := z.stmtIDs.Load(st); ok {
		return v.(int)
	}
	z.mu.Lock()
	defer z.mu.Unlock()
	if v, ok := z.stmtIDs.Load(st); ok {
		return v.(int)
	}
	z.nextStmtID++
	z.stmtIDs.Store(st, z.nextStmtID)
	return z.nextStmtID
}

// Cache keys.
type (
	setKey struct {
		statements    string
		principalType string
		subject       string
	}
	actionKey struct {
		policies int
		action   string
	}
	actionInfo struct {
		sig string
		dep bool
	}
	decisionKey struct {
		set              setKey
		tag              ContextName
		action, resource string
	}
)

// policyKey identifies a subject's policies (interned to a small number):
// the parsed policies, which managed policies share between subjects, and
// the kind each applies as (user-managed and group-managed differ in what a
// decision reports).
func (z *analyzer) policyKey(s *Subject) int {
	if s.pid != 0 {
		return s.pid
	}
	var b strings.Builder
	for _, r := range s.Set.Identity {
		fmt.Fprintf(&b, "%s:%p,", r.Kind, r.Policy)
	}
	if s.Set.Boundary != nil {
		fmt.Fprintf(&b, "|%p", s.Set.Boundary.Policy)
	}
	text := b.String()
	z.mu.Lock()
	id, ok := z.setIDs[text]
	if !ok {
		id = len(z.setIDs) + 1
		z.setIDs[text] = id
	}
	z.mu.Unlock()
	s.pid = id
	return id
}

var principalKeyPrefixes = []string{"aws:username", "aws:userid", "aws:principaltag", "aws:principalarn", "aws:sourceidentity", "aws:principalisawsservice"}

func statementDependsOnPrincipal(st *iampolicy.Statement) bool {
	for _, c := range st.Conditions {
		k := strings.ToLower(c.Key)
		for _, pre := range principalKeyPrefixes {
			if strings.HasPrefix(k, pre) {
				return true
			}
		}
		for _, v := range c.Values {
			if strings.Contains(v, "${") {
				return true
			}
		}
	}
	return false
}

// anyAllowMatches is a cheap pre-filter: without an Allow statement whose
// Action (or NotAction) covers the action, nothing can allow it.
func (z *analyzer) anyAllowMatches(s *Subject, action string) bool {
	for _, r := range s.Set.Identity {
		for i := range r.Policy.Statements {
			st := &r.Policy.Statements[i]
			if Effect(st.Effect) == EffectAllow && st.Allows(action) {
				return true
			}
		}
	}
	return false
}

// stmtServices is the service prefixes a statement's Action or NotAction
// names (lower case); all is set when a pattern's service part has a
// wildcard.
type stmtServices struct {
	all      bool
	services map[string]bool
}

// covers is st.Allows(action) with a cheap first look at the service
// prefix: most statements name a few services, and most probes are of
// other services.
func (z *analyzer) covers(st *iampolicy.Statement, svc, action string) bool {
	info := z.services(st)
	if !info.all && !info.services[svc] {
		return len(st.NotAction) > 0 // nothing listed can match: NotAction covers it
	}
	return st.Allows(action)
}

func (z *analyzer) services(st *iampolicy.Statement) stmtServices {
	v, ok := z.stmtSvcs.Load(st)
	if !ok {
		info := stmtServices{services: map[string]bool{}}
		pats := st.Action
		if len(st.NotAction) > 0 {
			pats = st.NotAction
		}
		for _, p := range pats {
			ps, _, found := strings.Cut(strings.ToLower(p), ":")
			if !found || strings.ContainsAny(ps, "*?") {
				info.all = true
			}
			info.services[ps] = true
		}
		v, _ = z.stmtSvcs.LoadOrStore(st, info)
	}
	return v.(stmtServices)
}
