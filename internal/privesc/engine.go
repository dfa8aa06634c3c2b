package privesc

// The decisions: every step is a request the IAM policy engine decides,
// shared between principals with the same policies.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// Request contexts, weakest first (the order of a path's context).
const (
	ctxAccessKey = iota
	ctxNoMFA
	ctxMFA
	numCtx
)

var ctxNames = [numCtx]string{iampolicy.ContextAccessKey, iampolicy.ContextSessionNoMFA, iampolicy.ContextMFASession}

// Inventory is what the snapshot says about the resources and credentials
// the methods act on. An Unknown string says why a list is incomplete
// (empty: complete).
type Inventory struct {
	// Instances are the EC2 instances with an instance profile that can
	// run (not terminated); InstancesUnknown why the list is incomplete.
	Instances        []Instance
	InstancesUnknown string
	// InstanceRegions are the regions whose instance list is complete:
	// where InstancesUnknown is set, a resource the policies name in one
	// of them is known not to be an instance with a profile (none is
	// listed), while one elsewhere may be.
	InstanceRegions map[string]bool
	// Functions are the Lambda functions; FunctionsUnknown why the list is
	// incomplete; FunctionRegions the regions whose list is complete.
	Functions        []Function
	FunctionsUnknown string
	FunctionRegions  map[string]bool
	// Users is each user's credential state by ARN; a user absent from it
	// (or a nil field) is not known, and UsersUnknown says why.
	Users        map[string]UserState
	UsersUnknown string
	// InstanceProfiles are each role's instance profiles (role ARN ->
	// instance profile ARNs).
	InstanceProfiles map[string][]string
	// AdminVersions are the customer managed policies (by ARN) with a
	// non-default version that grants administrator-equivalent power.
	AdminVersions map[string]string
}

// Instance is an EC2 instance and its instance profile.
type Instance struct {
	ARN, Region, Profile string
}

// Function is a Lambda function and its execution role.
type Function struct {
	ARN, Role string
}

// UserState is what a user's credentials are, when known.
type UserState struct {
	Password   *bool // has a console password (login profile)
	MFA        *bool // has an MFA device
	AccessKeys *int  // number of access keys (active or not)
}

// Options are the analysis's inputs beyond the account.
type Options struct {
	Now       time.Time
	Inventory Inventory
}

// principal is a node of the graph: a user, a role, or a group's
// hypothetical member.
type principal struct {
	idx       int
	typ       string // user, role, group
	arn, name string
	subj      *access.Subject
	set       *setGroup
	// adminFrom is the weakest context in which it is already
	// administrator-equivalent, or -1.
	adminFrom int
	groups    []string // a user's group ARNs; a group's own ARN
	ctx       [numCtx]map[string][]string
}

func (p *principal) validCtx(c int) bool { return c != ctxAccessKey || p.typ != "role" }

func (p *principal) admin(c int) bool { return p.adminFrom >= 0 && c >= p.adminFrom }

// setGroup is the principals that have the same policies and principal
// type: unless a statement reads the principal (dep), a request gets the
// same decision for each of them.
type setGroup struct {
	id      int
	rep     *principal
	members []*principal
	dep     bool
}

type engine struct {
	acct       *access.Account
	an         *access.Analysis
	opts       Options
	partition  string
	account    string
	principals []*principal
	byARN      map[string]*principal
	groups     []*setGroup
	adminARN   string

	cover                map[string][]*setGroup // action -> groups with an Allow statement covering it
	stmts                map[string][]*covering // action -> by group id (nil: not computed yet)
	decisions            map[decisionKey]iampolicy.Decision
	trusts               map[string]*trustInfo
	canDo                map[canKey][]ActionUse
	anyRes               map[string][]hit // method -> who may do all its actions on resources of its choosing
	caps                 map[capKey]bool
	indexes              map[*iampolicy.Policy]*polIndex
	sigs                 map[string][]*sigGroup
	evals                int
	intoCalls, intoEdges int
}

// covering is the statements of a group's policies (identity and boundary,
// any effect) whose Action covers an action, and the Resource patterns of
// its identity Allow statements among them.
type covering struct {
	stmts    []*iampolicy.Statement
	allows   []*iampolicy.Statement
	patterns []string
	vars     bool
	// dep: a statement among them reads who the principal is.
	dep bool
	// sig names the statements (policy, kind, position) and the
	// principal type: groups with the same sig get the same decisions for
	// the action.
	sig string
}

// sigGroup is the groups whose statements covering an action are the
// same: for that action they are one policy set.
type sigGroup struct {
	cov    *covering
	groups []*setGroup
}

type decisionKey struct {
	sig    string
	who    int // the principal, when the decision cannot be shared; -1 otherwise
	action string
	class  string
	ctx    int
	extra  string
	trust  *iampolicy.Statement
}

type canKey struct {
	who    int // group id, or -(principal idx + 1) when not shared
	method string
	ctx    int
}

func newEngine(acct *access.Account, an *access.Analysis, opts Options) *engine {
	e := &engine{acct: acct, an: an, opts: opts, partition: acct.Partition, account: acct.ID,
		byARN: map[string]*principal{}, cover: map[string][]*setGroup{}, stmts: map[string][]*covering{},
		decisions: map[decisionKey]iampolicy.Decision{}, trusts: map[string]*trustInfo{}, canDo: map[canKey][]ActionUse{}, anyRes: map[string][]hit{}, sigs: map[string][]*sigGroup{}, caps: map[capKey]bool{}, indexes: map[*iampolicy.Policy]*polIndex{}}
	if e.partition == "" {
		e.partition = "aws"
	}
	e.adminARN = "arn:" + e.partition + ":iam::aws:policy/AdministratorAccess"
	sets := map[string]*setGroup{}
	add := func(typ, arn, name string, s *access.Subject, adminFrom int, groups []string) {
		p := &principal{idx: len(e.principals), typ: typ, arn: arn, name: name, subj: s, adminFrom: adminFrom, groups: groups}
		e.principals = append(e.principals, p)
		e.byARN[arn] = p
		key := s.Principal.Type + "/" + access.PolicySetKey(s.Set)
		g := sets[key]
		if g == nil {
			g = &setGroup{id: len(e.groups), rep: p, dep: access.DependsOnPrincipal(s.Set)}
			sets[key] = g
			e.groups = append(e.groups, g)
		}
		g.members = append(g.members, p)
		p.set = g
	}
	for _, u := range acct.Users() {
		ua := an.Users[u.ARN]
		if ua == nil {
			continue // policies not completely known
		}
		var gs []string
		for _, g := range acct.UserGroups(u.ARN) {
			if arn := acct.GroupARN(g); arn != "" {
				gs = append(gs, arn)
			}
		}
		add("user", u.ARN, u.Name, u, adminFrom(ua.Admin), gs)
	}
	for _, r := range acct.Roles() {
		ra := an.Roles[r.ARN]
		if ra == nil || isServiceLinked(r.ARN) {
			continue
		}
		af := -1
		if ra.Admin {
			af = roleAdminFrom(r, ra, opts)
		}
		add("role", r.ARN, r.Name, r, af, nil)
	}
	for _, g := range acct.GroupMembers() {
		ga := an.Groups[g.ARN]
		if ga == nil {
			continue
		}
		add("group", g.ARN, g.Name, g.Subject, adminFrom(ga.Admin), []string{g.ARN})
	}
	return e
}

// capped: the subject has a permissions boundary that neither allows
// every action nor lets it remove or replace its own boundary, so a policy
// added to it (or to its groups) gives it at most what the boundary
// allows: the effective permissions are the intersection of the identity
// policies and the boundary (IAM User Guide, permissions boundaries for IAM
// entities).
func (e *engine) capped(s *access.Subject) bool {
	b := s.Set.Boundary
	if b == nil || b.Policy == nil {
		return false
	}
	key := capKey{b.Policy, s.ARN}
	if v, ok := e.caps[key]; ok {
		return v
	}
	set := iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{*b}}
	ctx, _ := iampolicy.NamedContext(iampolicy.ContextMFASession, s.Principal, iampolicy.ContextOptions{CurrentTime: e.opts.Now})
	asks := [][2]string{{access.AnyActionProbe, "*"}}
	if s.Principal.Type == "role" {
		asks = append(asks, [2]string{"iam:DeleteRolePermissionsBoundary", s.ARN}, [2]string{"iam:PutRolePermissionsBoundary", s.ARN})
	} else {
		asks = append(asks, [2]string{"iam:DeleteUserPermissionsBoundary", s.ARN}, [2]string{"iam:PutUserPermissionsBoundary", s.ARN})
	}
	capped := true
	for _, a := range asks {
		if iampolicy.Evaluate(set, iampolicy.Request{Principal: s.Principal, Action: a[0], Resource: a[1], Context: ctx}).Allowed {
			capped = false
			break
		}
	}
	e.caps[key] = capped
	return capped
}

type capKey struct {
	boundary *iampolicy.Policy
	arn      string
}

// roleAdminFrom: the engine judges roles in an MFA session; a role whose
// administrator grant also holds in a session without MFA is
// administrator-equivalent there too (a role passed to a service, or
// assumed without MFA, runs in such a session).
func roleAdminFrom(r *access.Subject, ra *access.RoleAccess, opts Options) int {
	ctx, err := iampolicy.NamedContext(iampolicy.ContextSessionNoMFA, r.Principal, iampolicy.ContextOptions{CurrentTime: opts.Now})
	if err != nil {
		return ctxMFA
	}
	for _, g := range ra.AdminEvidence {
		if iampolicy.Evaluate(r.Set, iampolicy.Request{Principal: r.Principal, Action: g.Action, Resource: g.Resource, Context: ctx}).Allowed {
			return ctxNoMFA
		}
	}
	return ctxMFA
}

// isServiceLinked: AWS owns service-linked roles (their policies cannot be
// changed and only the service assumes them); they are not judged.
func isServiceLinked(arn string) bool { return strings.Contains(arn, ":role/aws-service-role/") }

func adminFrom(grants []access.Grant) int {
	best := -1
	for _, g := range grants {
		for c, n := range ctxNames {
			if string(g.Context) == n && (best < 0 || c < best) {
				best = c
			}
		}
	}
	return best
}

func (e *engine) context(p *principal, c int) map[string][]string {
	if p.ctx[c] == nil {
		m, err := iampolicy.NamedContext(ctxNames[c], p.subj.Principal, iampolicy.ContextOptions{CurrentTime: e.opts.Now})
		if err != nil {
			panic(err) // the names are constants
		}
		p.ctx[c] = m
	}
	return p.ctx[c]
}

// coverGroups lists the groups with an identity Allow statement whose
// Action covers action: only they can be allowed it (same-account trust
// policies that name a principal aside, see sources).
func (e *engine) coverGroups(action string) []*setGroup {
	key := action
	if gs, ok := e.cover[key]; ok {
		return gs
	}
	var out []*setGroup
	for _, g := range e.groups {
		if len(e.covering(g, action).allows) > 0 {
			out = append(out, g)
		}
	}
	e.cover[key] = out
	return out
}

// coverSigs is coverGroups by statement signature.
func (e *engine) coverSigs(action string) []*sigGroup {
	key := action
	if v, ok := e.sigs[key]; ok {
		return v
	}
	by := map[string]*sigGroup{}
	var out []*sigGroup
	for _, g := range e.coverGroups(action) {
		c := e.covering(g, action)
		sg := by[c.sig]
		if sg == nil {
			sg = &sigGroup{cov: c}
			by[c.sig] = sg
			out = append(out, sg)
		}
		sg.groups = append(sg.groups, g)
	}
	e.sigs[key] = out
	return out
}

func (e *engine) covering(g *setGroup, action string) *covering {
	byGroup := e.stmts[action]
	if byGroup == nil {
		byGroup = make([]*covering, len(e.groups))
		e.stmts[action] = byGroup
	}
	if c := byGroup[g.id]; c != nil {
		return c
	}
	svc, _, _ := strings.Cut(strings.ToLower(action), ":")
	c := &covering{}
	set := g.rep.subj.Set
	var sig []byte
	sig = append(sig, g.rep.subj.Principal.Type...)
	scan := func(r iampolicy.PolicyRef, identity bool) {
		if r.Policy == nil {
			return
		}
		ix := e.index(r.Policy)
		for _, i := range ix.covering(r.Policy, svc, action) {
			st := &r.Policy.Statements[i]
			sig = append(sig, ',')
			sig = append(sig, r.Kind...)
			sig = append(sig, ':')
			sig = strconv.AppendInt(sig, int64(ix.id), 10)
			sig = append(sig, '.')
			sig = strconv.AppendInt(sig, int64(i), 10)
			c.stmts = append(c.stmts, st)
			c.dep = c.dep || access.StatementDependsOnPrincipal(st)
			if identity && access.Effect(st.Effect) == access.EffectAllow {
				c.allows = append(c.allows, st)
				for _, pat := range st.Resource {
					c.patterns = append(c.patterns, pat)
					c.vars = c.vars || strings.Contains(pat, "${")
				}
			}
		}
	}
	for _, r := range set.Identity {
		scan(r, true)
	}
	if set.Boundary != nil {
		sig = append(sig, '|')
		scan(*set.Boundary, false)
	}
	// SCP and RCP statements decide too, and may read who the principal
	// is (a break-glass exemption): they take part in the signature and
	// in dep, never in what allows.
	if org := access.OrgRefs(set); len(org) > 0 {
		sig = append(sig, "|org"...)
		for _, r := range org {
			scan(r, false)
		}
	}
	c.sig = string(sig)
	byGroup[g.id] = c
	return c
}

// polIndex sorts a policy's statements by the services their Action can
// reach: wild are those that may cover any service's actions (NotAction, a
// wildcard in the service part), bySvc the others by lower-case prefix.
type polIndex struct {
	id    int
	wild  []int
	bySvc map[string][]int
	cover map[string][]int // action -> the statements whose Action covers it
}

// covering lists, once per action, the statements of p whose Action or
// NotAction covers it, in statement order.
func (ix *polIndex) covering(p *iampolicy.Policy, svc, action string) []int {
	if v, ok := ix.cover[action]; ok {
		return v
	}
	var out []int
	for _, list := range [][]int{ix.wild, ix.bySvc[svc]} {
		for _, i := range list {
			if p.Statements[i].Allows(action) {
				out = append(out, i)
			}
		}
	}
	sort.Ints(out)
	ix.cover[action] = out
	return out
}

func (e *engine) index(p *iampolicy.Policy) *polIndex {
	if ix := e.indexes[p]; ix != nil {
		return ix
	}
	ix := &polIndex{id: len(e.indexes) + 1, bySvc: map[string][]int{}, cover: map[string][]int{}}
	for i := range p.Statements {
		st := &p.Statements[i]
		if len(st.NotAction) > 0 {
			ix.wild = append(ix.wild, i)
			continue
		}
		wild := false
		seen := map[string]bool{}
		for _, a := range st.Action {
			svc, _, ok := strings.Cut(strings.ToLower(a), ":")
			if !ok || strings.ContainsAny(svc, "*?") {
				wild = true
				break
			}
			seen[svc] = true
		}
		if wild {
			ix.wild = append(ix.wild, i)
			continue
		}
		for svc := range seen {
			ix.bySvc[svc] = append(ix.bySvc[svc], i)
		}
	}
	e.indexes[p] = ix
	return ix
}

// class names the statements covering resource among those covering the
// action: two resources of a class get the same decision. ok is false when
// a pattern has a policy variable (the decision is the principal's own).
func (c *covering) class(resource string) (string, bool) {
	b := make([]byte, len(c.stmts))
	for i, st := range c.stmts {
		cov, ok := st.CoversResource(resource)
		if !ok {
			return resource, false
		}
		if cov {
			b[i] = '1'
		} else {
			b[i] = '0'
		}
	}
	return string(b), true
}

// mayAllow: some identity Allow statement covering the action may cover
// the resource.
func (c *covering) mayAllow(resource string) bool {
	for _, st := range c.allows {
		cov, ok := st.CoversResource(resource)
		if cov || !ok {
			return true
		}
	}
	return false
}

// decide asks the engine about one request of p, sharing the decision
// with p's group where nothing in the request or the policies reads who p
// is. trust is the role trust policy for sts:AssumeRole (nil otherwise).
func (e *engine) decide(p *principal, action, resource string, c int, extra map[string]string, trust *iampolicy.PolicyRef, trustDep bool) iampolicy.Decision {
	g := p.set
	cov := e.covering(g, action)
	class, ok := cov.class(resource)
	k := decisionKey{sig: cov.sig, who: -1, action: strings.ToLower(action), class: class, ctx: c}
	if !ok || cov.dep || trustDep {
		k.who = p.idx
		k.class = resource
	}
	if len(extra) > 0 {
		k.extra = fmt.Sprint(extra)
	}
	if trust != nil && len(trust.Policy.Statements) > 0 {
		k.trust = &trust.Policy.Statements[0]
	}
	if d, ok := e.decisions[k]; ok {
		return d
	}
	who := p
	ctx := e.context(who, c)
	if len(extra) > 0 {
		m := make(map[string][]string, len(ctx)+len(extra))
		for key, v := range ctx {
			m[key] = v
		}
		for key, v := range extra {
			m[key] = []string{v}
		}
		ctx = m
	}
	set := who.subj.Set
	if trust != nil {
		set.Resource = []iampolicy.PolicyRef{*trust}
	}
	e.evals++
	d := iampolicy.Evaluate(set, iampolicy.Request{Principal: who.subj.Principal, Action: action, Resource: resource, Context: ctx})
	e.decisions[k] = d
	return d
}

func use(action, resource string, d iampolicy.Decision) ActionUse {
	u := ActionUse{Action: action, Resource: resource}
	for _, m := range d.Matched {
		if access.Effect(m.Effect) == access.EffectAllow {
			u.Policy, u.Statement = m.Policy, m.Label()
			if access.PolicyKind(m.PolicyKind) == access.KindTrust {
				u.Policy = "trust policy of " + resource
			}
			break
		}
	}
	return u
}

// candidates are the resources to ask about for an action whose resource
// the caller picks (it creates it, or any will do): a concrete resource of
// the action's type, and each Resource pattern of the Allow statements
// covering it, instantiated for p.
func (e *engine) candidates(p *principal, action string) []string {
	out := []string{probeResource(action, e.partition, e.account)}
	for _, pat := range e.covering(p.set, action).patterns {
		if !strings.HasPrefix(pat, "arn:") {
			continue // "*" and the like: the resource of the action's type stands for them
		}
		r := access.Instantiate(pat, p.subj)
		if r != out[0] && !contains(out, r) {
			out = append(out, r)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// allowedAny: p may do action on some resource of its choosing in context
// c; the first allowed candidate is the evidence.
func (e *engine) allowedAny(p *principal, action string, c int, extra map[string]string) (ActionUse, bool) {
	if len(e.covering(p.set, action).allows) == 0 {
		return ActionUse{}, false
	}
	for _, res := range e.candidates(p, action) {
		if d := e.decide(p, action, res, c, extra, nil, false); d.Allowed {
			return use(action, res, d), true
		}
	}
	return ActionUse{}, false
}

// doAll: p may do every action of the list, each on a resource of its
// choosing, in context c (nil when one is not allowed). The answer is
// shared by p's group unless its policies read the principal.
func (e *engine) doAll(p *principal, id string, actions []string, c int, extra map[string]string) []ActionUse {
	k := canKey{who: p.set.id, method: id, ctx: c}
	for _, a := range actions {
		if e.covering(p.set, a).dep {
			k.who = -(p.idx + 1)
			break
		}
	}
	if v, ok := e.canDo[k]; ok {
		return v
	}
	var out []ActionUse
	for _, a := range actions {
		u, ok := e.allowedAny(p, a, c, extra)
		if !ok {
			out = nil
			break
		}
		out = append(out, u)
	}
	e.canDo[k] = out
	return out
}

// hit is one principal, in one context, allowed a request.
type hit struct {
	p *principal
	c int
	d iampolicy.Decision
}

// sources are the principals (not administrator-equivalent in that
// context) allowed action on resource in one of the contexts cs. For
// sts:AssumeRole, trust is the role's trust policy, and the principals it
// names directly are asked too (within an account, a trust policy that
// names a principal may be enough on its own).
func (e *engine) sources(action, resource string, cs []int, extra map[string]string, trust *trustInfo) []hit {
	var out []hit
	var ref *iampolicy.PolicyRef
	if trust != nil {
		ref = trust.ref
	}
	// try asks about the members of groups that share the statements
	// covering the action (cov): one decision per context answers for all
	// of them unless the statements or the trust policy read who they are.
	try := func(cov *covering, groups []*setGroup, filter bool) {
		if filter && !cov.mayAllow(resource) {
			return
		}
		_, classOK := cov.class(resource)
		shared := classOK && !cov.dep && (trust == nil || !trust.condDep)
		var rep *principal
		if shared {
		find:
			for _, g := range groups {
				for _, m := range g.members {
					if trust == nil || !trust.names(m.arn) {
						rep = m
						break find
					}
				}
			}
		}
		for _, c := range cs {
			var sharedD *iampolicy.Decision
			for _, g := range groups {
				for _, m := range g.members {
					if !m.validCtx(c) || m.admin(c) || m.arn == resource {
						continue
					}
					var d iampolicy.Decision
					if rep != nil && (trust == nil || !trust.names(m.arn)) {
						if sharedD == nil {
							dd := e.decide(rep, action, resource, c, extra, ref, false)
							sharedD = &dd
						}
						d = *sharedD
					} else {
						d = e.decide(m, action, resource, c, extra, ref, true)
					}
					if d.Allowed {
						out = append(out, hit{m, c, d})
					}
				}
			}
		}
	}
	// A trust policy that admits neither the account nor everyone admits
	// only the principals it names: nobody else can assume the role,
	// whatever their identity policies say.
	scanned := trust == nil || trust.account || trust.anyone
	if scanned {
		for _, sg := range e.coverSigs(action) {
			try(sg.cov, sg.groups, true)
		}
	}
	if trust != nil {
		seen := map[int]bool{}
		if scanned {
			for _, sg := range e.coverSigs(action) {
				for _, g := range sg.groups {
					seen[g.id] = true
				}
			}
		}
		more := func(g *setGroup) {
			if !seen[g.id] {
				seen[g.id] = true
				try(e.covering(g, action), []*setGroup{g}, false)
			}
		}
		if trust.anyone {
			for _, g := range e.groups {
				more(g)
			}
		}
		for _, arn := range trust.named {
			if p := e.byARN[arn]; p != nil {
				more(p.set)
			}
		}
	}
	return out
}

// trustInfo is what a role's trust policy admits, read once per role.
type trustInfo struct {
	ref      *iampolicy.PolicyRef
	condDep  bool            // a condition reads principal keys, or a NotPrincipal
	named    []string        // same-account user and role ARNs it names (they get their own decisions)
	anyone   bool            // "*" or NotPrincipal
	account  bool            // it admits the account (root ARN or account ID): identity policies decide
	services map[string]bool // service principals it admits for sts:AssumeRole
}

func (e *engine) trust(roleARN string) *trustInfo {
	if t, ok := e.trusts[roleARN]; ok {
		return t
	}
	t := &trustInfo{services: map[string]bool{}}
	e.trusts[roleARN] = t
	tp := e.acct.Trust(roleARN)
	if tp == nil {
		return t
	}
	t.ref = &iampolicy.PolicyRef{Kind: string(access.KindTrust), Name: tp.Name, ARN: roleARN, Policy: tp}
	t.condDep = access.DependsOnPrincipal(iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{*t.ref}})
	for i := range tp.Statements {
		st := &tp.Statements[i]
		if access.Effect(st.Effect) != access.EffectAllow || !st.Allows("sts:AssumeRole") {
			continue
		}
		if st.NotPrincipal != nil {
			t.anyone, t.condDep = true, true
		}
		ps := st.Principal
		if ps == nil {
			continue
		}
		if ps.Wildcard {
			t.anyone = true
		}
		for _, a := range ps.AWS {
			switch {
			case a == "*":
				t.anyone = true
			case a == e.account || a == "arn:"+e.partition+":iam::"+e.account+":root":
				t.account = true
			case strings.Contains(a, ":user/") || strings.Contains(a, ":role/"):
				t.named = append(t.named, a)
			case !strings.HasPrefix(a, "arn:") && len(a) > 12:
				// A unique ID: who it is cannot be told from the ARN.
				t.condDep = true
			}
		}
		for _, s := range ps.Service {
			t.services[strings.ToLower(s)] = true
		}
	}
	return t
}

func (t *trustInfo) names(arn string) bool { return contains(t.named, arn) }

// short is how a message names a principal: the resource part of its ARN
// (user/NAME, role/path/NAME, group/NAME).
func short(arn string) string {
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) == 6 {
		return parts[5]
	}
	return arn
}
