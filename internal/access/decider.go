package access

// The memoised decider: iampolicy.Evaluate behind caches shared by subjects with the same policies.

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

type analyzer struct {
	a    *Account
	opts AnalyzeOptions

	// decisions caches Evaluate for requests whose outcome cannot depend on
	// who the principal is (see requestKey).
	decisions sync.Map   // decisionKey -> iampolicy.Decision
	users     sync.Map   // userKey -> *UserAccess
	probes    sync.Map   // policy-set key -> []probe
	actionDep sync.Map   // actionKey -> actionInfo
	assume    sync.Map   // assumeKey -> AssumeSummary
	mu        sync.Mutex // guards setIDs
	setIDs    map[string]int

	// policies is the policy index, built before the fan-out and only read
	// during it; unindexed numbers policies met later.
	policies  map[*iampolicy.Policy]*policyInfo
	unindexed atomic.Int64
}

// requestContexts are one subject's named request contexts, each built
// the first time a question needs it. Evaluate only reads them.
type requestContexts struct {
	z *analyzer
	s *Subject
	m [3]map[string][]string
}

func (z *analyzer) contexts(s *Subject) *requestContexts { return &requestContexts{z: z, s: s} }

func (c *requestContexts) get(cn ContextName) map[string][]string {
	i := slices.Index(allContexts, cn)
	if c.m[i] == nil {
		c.m[i] = c.z.ctx(cn, c.s, nil)
	}
	return c.m[i]
}

func (z *analyzer) ctx(name ContextName, s *Subject, mod func(map[string][]string)) map[string][]string {
	c, err := iampolicy.NamedContext(string(name), s.Principal, iampolicy.ContextOptions{CurrentTime: z.opts.Now})
	if err != nil {
		panic(err) // the names are the constants of kinds.go
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
			pi := z.info(p)
			pi.covering(p, svc, action, func(si int, st *iampolicy.Statement) {
				sig = append(sig, kind...)
				sig = append(sig, ':')
				sig = strconv.AppendInt(sig, int64(pi.id), 10)
				sig = append(sig, '.')
				sig = strconv.AppendInt(sig, int64(si), 10)
				dep = dep || statementDependsOnPrincipal(st) || hasVariable(st.Resource) || hasVariable(st.NotResource)
			})
		}
		for _, r := range s.Set.Identity {
			scan(PolicyKind(r.Kind), r.Policy)
		}
		if s.Set.Boundary != nil {
			sig = append(sig, '|')
			scan(KindBoundary, s.Set.Boundary.Policy)
		}
		if org := orgRefs(&s.Set); len(org) > 0 {
			sig = append(sig, "|org"...)
			for _, r := range org {
				scan(PolicyKind(r.Kind), r.Policy)
			}
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

// policyKey identifies a subject's policies (PolicySetKey, interned to a
// small number).
func (z *analyzer) policyKey(s *Subject) int {
	if s.pid != 0 {
		return s.pid
	}
	text := PolicySetKey(s.Set)
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

// PolicySetKey identifies a policy set: the parsed policies, which managed
// policies share between subjects, the kind each applies as (user-managed
// and group-managed differ in what a decision reports), the boundary, and
// whether organization policies take part (every subject they bind has the
// same levels). Subjects of one key and principal type decide alike unless
// a statement reads who the principal is (DependsOnPrincipal).
func PolicySetKey(set iampolicy.PolicySet) string {
	var b strings.Builder
	for _, r := range set.Identity {
		fmt.Fprintf(&b, "%s:%p,", r.Kind, r.Policy)
	}
	if set.Boundary != nil {
		fmt.Fprintf(&b, "|%p", set.Boundary.Policy)
	}
	if len(set.SCPs)+len(set.RCPs) > 0 {
		b.WriteString("|org")
	}
	return b.String()
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

// assumeKey identifies what an AssumeSummary depends on: the subject's
// policies and type, and the groups a grant names (a user's groups, or the
// group of a group's hypothetical member). shared is false when a statement
// covering sts:AssumeRole reads the principal: then it is the subject's own.
func (z *analyzer) assumeKey(s *Subject) (key string, shared bool) {
	if z.requestKey(s, assumeRole).subject != "" {
		return "", false
	}
	groups := z.a.userGroups[s.ARN]
	if s.viaGroup != "" {
		groups = nil
	}
	return fmt.Sprintf("%d|%s|%s|%s", z.policyKey(s), s.Principal.Type, s.viaGroup, strings.Join(groups, "\x00")), true
}

// resourceClasses returns a function that names the class of a resource
// for action: two resources of a class are covered by exactly the same
// statements of the subject's policies (identity and boundary) that cover
// the action, so every request of the subject gets the same decision on
// both. A statement whose resources have a policy variable makes each
// resource its own class.
func (z *analyzer) resourceClasses(s *Subject, action string) func(resource string) string {
	svc, _, _ := strings.Cut(strings.ToLower(action), ":")
	var stmts []*iampolicy.Statement
	collect := func(p *iampolicy.Policy) {
		z.info(p).covering(p, svc, action, func(_ int, st *iampolicy.Statement) { stmts = append(stmts, st) })
	}
	for _, r := range s.Set.Identity {
		collect(r.Policy)
	}
	if s.Set.Boundary != nil {
		collect(s.Set.Boundary.Policy)
	}
	for _, r := range orgRefs(&s.Set) {
		collect(r.Policy)
	}
	return func(resource string) string {
		bits := make([]byte, len(stmts))
		for i, st := range stmts {
			c, ok := st.CoversResource(resource)
			if !ok {
				return "=" + resource
			}
			if c {
				bits[i] = '1'
			} else {
				bits[i] = '0'
			}
		}
		return string(bits)
	}
}

// userKey identifies what a user's verdicts depend on when no statement of
// its policies reads the principal (shared false otherwise): its policies,
// its groups (grants and MFA groups name them), its type, and whether its
// name is the one the other-user probe avoids.
func (z *analyzer) userKey(u *Subject) (key string, shared bool) {
	if z.setDependsOnPrincipal(u) {
		return "", false
	}
	return fmt.Sprintf("%d|%s|%s|%s", z.policyKey(u), u.Principal.Type, z.otherUserARN(u), strings.Join(z.a.userGroups[u.ARN], "\x00")), true
}
