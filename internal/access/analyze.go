package access

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// The guide's self-service: what an IAM user may do for itself without MFA
// (IAMRequireMFA's allow statements). Anything else allowed without MFA
// breaks the guide's "deny everything but self-service unless MFA".
var selfService = map[string]bool{
	"iam:getaccountpasswordpolicy": true, "iam:getaccountsummary": true, "iam:listaccountaliases": true,
	"iam:listusers": true, "iam:changepassword": true, "iam:listvirtualmfadevices": true,
	"iam:listmfadevices": true, "iam:createvirtualmfadevice": true, "iam:deletevirtualmfadevice": true,
	"iam:enablemfadevice": true, "iam:resyncmfadevice": true, "iam:getuser": true,
	"iam:getloginprofile": true, "iam:listaccesskeys": true, "iam:listsshpublickeys": true,
	"iam:listservicespecificcredentials": true, "iam:listsigningcertificates": true,
}

// Actions IAM does not authorise with policies: they always work, so they
// say nothing about a policy set.
var unauthorised = map[string]bool{"sts:getcalleridentity": true, "sts:getsessiontoken": true}

// credentialActions are the self-service actions that, performed on another
// user, take over that user's credentials.
// (iam:ChangePassword is not among them: it only ever changes the caller's
// own password and takes no user name.)
var credentialActions = []string{
	"iam:CreateLoginProfile", "iam:UpdateLoginProfile", "iam:DeleteLoginProfile",
	"iam:CreateAccessKey", "iam:UpdateAccessKey", "iam:DeleteAccessKey",
	"iam:EnableMFADevice", "iam:DeactivateMFADevice", "iam:ResyncMFADevice", "iam:DeleteVirtualMFADevice",
}

// adminActions each let a principal grant itself (or anyone) every
// permission: holding any one of them is administrator-equivalent.
var adminActions = []string{
	"iam:AttachUserPolicy", "iam:PutUserPolicy", "iam:AttachGroupPolicy", "iam:PutGroupPolicy",
	"iam:AttachRolePolicy", "iam:PutRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion",
	"iam:UpdateAssumeRolePolicy", "iam:AddUserToGroup", "iam:CreateAccessKey", "iam:CreateLoginProfile",
	"iam:UpdateLoginProfile", "iam:DeleteUserPermissionsBoundary", "iam:DeleteRolePermissionsBoundary",
}

// anyActionProbe is an action no service defines: only a statement that
// grants every action ("*", or a NotAction that leaves it in) allows it.
const anyActionProbe = "lockdownprobe:AnyAction"

// Grant is one allowed request and the statement that allowed it.
type Grant struct {
	Context   string `json:"context"`
	Action    string `json:"action"`
	Resource  string `json:"resource"`
	Policy    string `json:"policy"`
	PolicyARN string `json:"policy_arn,omitempty"`
	Kind      string `json:"policy_kind"`
	Statement string `json:"statement"`
	// Group is the group that carries the policy, for group policies.
	Group string `json:"group,omitempty"`
}

// UserAccess is what the policy engine says about one IAM user.
type UserAccess struct {
	ARN  string `json:"arn"`
	Name string `json:"name"`
	// WithoutMFA lists actions outside self-service allowed under access_key
	// or session_no_mfa (one grant per context and action).
	WithoutMFA []Grant `json:"without_mfa"`
	// OtherUsers lists credential actions allowed on another user's ARN.
	OtherUsers []Grant `json:"other_users"`
	// Admin lists administrator-equivalent actions allowed directly (under
	// any context); AdminWithoutMFA the subset allowed with access keys alone.
	Admin           []Grant `json:"admin"`
	AdminWithoutMFA bool    `json:"admin_without_mfa"`
	// MFAEnforced: the user's policies explicitly deny non-IAM requests
	// without MFA, so no present or future grant works without it.
	MFAEnforced   bool   `json:"mfa_enforced"`
	MFAEnforcedBy string `json:"mfa_enforced_by,omitempty"`
	MFAGap        string `json:"mfa_gap,omitempty"` // a request without MFA that is not denied
	// MFAGroups are the user's groups that carry the MFA requirement.
	MFAGroups []string `json:"mfa_groups"`
	// AssumeAdmin sums up identity-side sts:AssumeRole allows on admin roles.
	AssumeAdmin AssumeSummary `json:"assume_admin"`
}

// GroupAccess is what a member of only this group could do.
type GroupAccess struct {
	ARN           string        `json:"arn"`
	Name          string        `json:"name"`
	RequiresMFA   bool          `json:"requires_mfa"`
	Admin         []Grant       `json:"admin"`
	AssumeAdmin   AssumeSummary `json:"assume_admin"`
	PolicyCount   int           `json:"policy_count"`
	MFAEvidence   string        `json:"mfa_evidence,omitempty"`
	WithoutMFAHit []Grant       `json:"without_mfa"`
}

// AssumeSummary is how a principal's identity policies treat sts:AssumeRole
// on the account's administrator-equivalent roles.
type AssumeSummary struct {
	// Roles counts the admin roles the identity policies let it assume at all.
	Roles int `json:"roles"`
	// LoopholeCount counts those also assumable in a request that must be
	// refused; Loopholes lists them all.
	LoopholeCount int           `json:"loophole_count"`
	Loopholes     []AssumeCheck `json:"loopholes"`
}

// AssumeCheck is how an identity-side sts:AssumeRole allow on an admin role
// behaves in the requests that must be refused.
type AssumeCheck struct {
	Role string `json:"role"`
	// Allowed is the grant under a proper MFA session over TLS (nil: not allowed at all).
	Allowed *Grant `json:"allowed,omitempty"`
	// Loopholes lists the bad requests it also allows: "no_mfa" (access
	// keys or a session without MFA), "no_tls", "stale_mfa" (MFA older than 3600 s).
	Loopholes []string `json:"loopholes"`
}

// RoleAccess describes a role: whether it is administrator-equivalent and
// whom its trust policy admits.
type RoleAccess struct {
	ARN                string  `json:"arn"`
	Name               string  `json:"name"`
	Admin              bool    `json:"admin"`
	AdminEvidence      []Grant `json:"admin_evidence"`
	MaxSessionDuration int32   `json:"max_session_duration"`
	Trust              Trust   `json:"trust"`
}

// Trust summarises a role trust policy's Allow statements for sts:AssumeRole.
type Trust struct {
	Present bool `json:"present"`
	// Outsiders are principals outside the account: "*", other accounts,
	// services, federated providers.
	Outsiders []string `json:"outsiders"`
	// WithoutMFA names the Allow statements that admit a same-account
	// principal without MFA.
	WithoutMFA []string `json:"without_mfa"`
}

// Analysis is the policy engine's verdicts on every user, group and role.
type Analysis struct {
	Users  map[string]*UserAccess  `json:"users"`
	Groups map[string]*GroupAccess `json:"groups"`
	Roles  map[string]*RoleAccess  `json:"roles"`
}

// AnalyzeOptions fixes what "now" and the MFA session look like.
type AnalyzeOptions struct {
	Now             time.Time
	MaxMFAAge       int // seconds; an MFA session older than this must not assume an admin role (3600)
	MaxWildcardList int // expand a wildcard Action to at most this many probes (64)
}

func (o *AnalyzeOptions) defaults() {
	if o.MaxMFAAge <= 0 {
		o.MaxMFAAge = 3600
	}
	if o.MaxWildcardList <= 0 {
		o.MaxWildcardList = 64
	}
}

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

// Analyze asks the policy engine the guide's questions about every
// principal. It is deterministic for a snapshot.
func (a *Account) Analyze(opts AnalyzeOptions) *Analysis {
	opts.defaults()
	z := &analyzer{a: a, opts: opts, setIDs: map[string]int{}}
	out := &Analysis{Users: map[string]*UserAccess{}, Groups: map[string]*GroupAccess{}, Roles: map[string]*RoleAccess{}}

	adminRoles := []string{}
	// Principals whose policies are not completely known are left out:
	// their verdicts would rest on a partial picture (see Account.Unknown).
	for _, r := range a.Roles() {
		if a.unknown[r.ARN] != "" {
			continue
		}
		ra := z.role(r)
		out.Roles[r.ARN] = ra
		if ra.Admin {
			adminRoles = append(adminRoles, r.ARN)
		}
	}
	for _, g := range a.groupNames() {
		if a.unknown[a.groupARN[g]] != "" {
			continue
		}
		out.Groups[a.groupARN[g]] = z.group(g, adminRoles)
	}
	var users []*Subject
	for _, u := range a.Users() {
		if a.unknown[u.ARN] == "" {
			users = append(users, u)
		}
	}
	results := make([]*UserAccess, len(users))
	var wg sync.WaitGroup
	sem := make(chan struct{}, 4)
	for i, u := range users {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, u *Subject) {
			defer func() { <-sem; wg.Done() }()
			results[i] = z.user(u, adminRoles, out.Groups)
		}(i, u)
	}
	wg.Wait()
	for i, u := range users {
		out.Users[u.ARN] = results[i]
	}
	return out
}

func (z *analyzer) ctx(name string, s *Subject, mod func(map[string][]string)) map[string][]string {
	c, err := iampolicy.NamedContext(name, s.Principal, iampolicy.ContextOptions{CurrentTime: z.opts.Now})
	if err != nil {
		panic(err) // the names are constants of this file
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func (z *analyzer) grant(s *Subject, ctxName, action, resource string, d iampolicy.Decision) Grant {
	g := grantFrom(ctxName, action, resource, d, s.Set)
	if strings.HasPrefix(g.Kind, "group-") {
		for _, gname := range z.a.userGroups[s.ARN] {
			for _, r := range z.a.groups[gname] {
				if r.Kind == g.Kind && (r.Name == g.Policy || r.Policy.Name == g.Policy) {
					g.Group = gname
					return g
				}
			}
		}
		g.Group = s.viaGroup
	}
	return g
}

func grantFrom(ctxName, action, resource string, d iampolicy.Decision, set iampolicy.PolicySet) Grant {
	g := Grant{Context: ctxName, Action: action, Resource: resource}
	for _, m := range d.Matched {
		if m.Effect == "Allow" {
			g.Policy, g.Kind, g.Statement = m.Policy, m.PolicyKind, m.Label()
			g.PolicyARN = policyARN(set, m.Policy, m.PolicyKind)
			break
		}
	}
	return g
}

func policyARN(set iampolicy.PolicySet, name, kind string) string {
	for _, r := range set.Identity {
		if r.Kind == kind && (r.Name == name || (r.Policy != nil && r.Policy.Name == name)) {
			return r.ARN
		}
	}
	return ""
}

// decide evaluates a request.
func (z *analyzer) decide(s *Subject, action, resource string, c map[string][]string) iampolicy.Decision {
	return iampolicy.Evaluate(s.Set, iampolicy.Request{Principal: s.Principal, Action: action, Resource: resource, Context: c})
}

// decideCached shares decisions between subjects with the same policies on
// resources that do not name the subject, unless a condition reads a
// principal-specific key or variable (then the subject is part of the key).
// cacheTag names the request context.
func (z *analyzer) decideCached(s *Subject, cacheTag, action, resource string, c map[string][]string) iampolicy.Decision {
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
		scan := func(kind string, p *iampolicy.Policy) {
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
			scan(r.Kind, r.Policy)
		}
		if s.Set.Boundary != nil {
			sig = append(sig, '|')
			scan("boundary", s.Set.Boundary.Policy)
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
		set                   setKey
		tag, action, resource string
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

func (z *analyzer) admin(s *Subject, ctxNames []string) []Grant {
	var grants []Grant
	for _, cn := range ctxNames {
		c := z.ctx(cn, s, nil)
		for _, act := range append([]string{anyActionProbe}, adminActions...) {
			if !z.anyAllowMatches(s, act) {
				continue
			}
			res := z.otherUserARN(s)
			if strings.Contains(act, "Role") {
				res = z.arn("role/lockdown-probe-role")
			} else if strings.Contains(act, "Group") {
				res = z.arn("group/lockdown-probe-group")
			} else if strings.Contains(act, "PolicyVersion") {
				res = z.arn("policy/lockdown-probe-policy")
			} else if act == anyActionProbe {
				res = "*"
			}
			if d := z.decideCached(s, cn, act, res, c); d.Allowed {
				if act == anyActionProbe {
					// Any action at all: that one grant is the finding,
					// not a list of the admin actions it includes.
					return []Grant{z.grant(s, cn, act, res, d)}
				}
				grants = append(grants, z.grant(s, cn, act, res, d))
			}
		}
		if len(grants) > 0 {
			return grants // the first context that grants admin is the finding
		}
	}
	return grants
}

func (z *analyzer) arn(suffix string) string {
	return "arn:" + z.a.Partition + ":iam::" + z.a.ID + ":" + suffix
}

func (z *analyzer) otherUserARN(s *Subject) string {
	name := "lockdown-other-user"
	if s.Name == name {
		name += "-2"
	}
	return z.arn("user/" + name)
}

// anyAllowMatches is a cheap pre-filter: without an Allow statement whose
// Action (or NotAction) covers the action, nothing can allow it.
func (z *analyzer) anyAllowMatches(s *Subject, action string) bool {
	for _, r := range s.Set.Identity {
		for i := range r.Policy.Statements {
			st := &r.Policy.Statements[i]
			if st.Effect == "Allow" && st.Allows(action) {
				return true
			}
		}
	}
	return false
}

func (z *analyzer) role(r *Subject) *RoleAccess {
	ra := &RoleAccess{ARN: r.ARN, Name: r.Name, MaxSessionDuration: z.a.maxSession[r.ARN]}
	ra.AdminEvidence = z.admin(r, []string{iampolicy.ContextMFASession})
	ra.Admin = len(ra.AdminEvidence) > 0
	if ra.AdminEvidence == nil {
		ra.AdminEvidence = []Grant{}
	}
	ra.Trust = z.trust(r)
	return ra
}

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
		if st.Effect != "Allow" || !st.Allows("sts:AssumeRole") {
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
	ref := iampolicy.PolicyRef{Kind: "trust", Name: tp.Name, ARN: r.ARN, Policy: tp}
	noMFA := map[string]bool{}
	for _, p := range probes {
		for _, cn := range []string{iampolicy.ContextAccessKey, iampolicy.ContextSessionNoMFA} {
			c, _ := iampolicy.NamedContext(cn, p, iampolicy.ContextOptions{CurrentTime: z.opts.Now})
			d := iampolicy.Evaluate(iampolicy.PolicySet{Resource: []iampolicy.PolicyRef{ref}},
				iampolicy.Request{Principal: p, Action: "sts:AssumeRole", Resource: r.ARN, Context: c})
			if d.Effect == iampolicy.ExplicitDeny {
				continue
			}
			for _, m := range d.Matched {
				if m.Effect == "Allow" && m.PolicyKind == "trust" {
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

// nonIAMSamples are requests the guide's MFA deny must refuse without MFA.
var nonIAMSamples = []string{"s3:ListAllMyBuckets", "ec2:DescribeInstances", "sts:AssumeRole"}

func (z *analyzer) member(name string, refs []iampolicy.PolicyRef) *Subject {
	p := z.probePrincipal("")
	return &Subject{Kind: "user", Name: p.Name, ARN: p.ARN, Principal: p, Set: iampolicy.PolicySet{Identity: refs}, viaGroup: name}
}

func (z *analyzer) group(name string, adminRoles []string) *GroupAccess {
	refs := z.a.groups[name]
	m := z.member(name, refs)
	ga := &GroupAccess{ARN: z.a.groupARN[name], Name: name, PolicyCount: len(refs), WithoutMFAHit: []Grant{}}
	ga.RequiresMFA, ga.MFAEvidence = z.requiresMFA(m)
	ga.Admin = z.admin(m, []string{iampolicy.ContextAccessKey, iampolicy.ContextSessionNoMFA, iampolicy.ContextMFASession})
	if ga.Admin == nil {
		ga.Admin = []Grant{}
	}
	ga.AssumeAdmin = z.assumeAdmin(m, adminRoles)
	return ga
}

// requiresMFA: the policies explicitly deny non-self-service requests made
// with access keys or a session without MFA.
func (z *analyzer) requiresMFA(s *Subject) (bool, string) {
	ok, evidence, _ := z.mfaEnforced(s)
	return ok, evidence
}

// mfaEnforced also says, when the requirement is missing, which request
// without MFA is not explicitly denied.
func (z *analyzer) mfaEnforced(s *Subject) (ok bool, evidence, gap string) {
	for _, cn := range []string{iampolicy.ContextAccessKey, iampolicy.ContextSessionNoMFA} {
		c := z.ctx(cn, s, nil)
		for _, act := range nonIAMSamples {
			d := z.decideCached(s, cn, act, "*", c)
			if d.Effect != iampolicy.ExplicitDeny {
				return false, "", act + " " + contextPhrase[cn]
			}
			if evidence == "" {
				for _, m := range d.Matched {
					if m.Effect == "Deny" {
						evidence = m.Policy + " statement " + m.Label()
						break
					}
				}
			}
		}
	}
	return true, evidence, ""
}

var contextPhrase = map[string]string{
	iampolicy.ContextAccessKey:    "with long-term access keys",
	iampolicy.ContextSessionNoMFA: "in a session without MFA",
}

func (z *analyzer) assumeAdmin(s *Subject, adminRoles []string) AssumeSummary {
	sum := AssumeSummary{Loopholes: []AssumeCheck{}}
	if len(adminRoles) == 0 || !z.anyAllowMatches(s, "sts:AssumeRole") {
		return sum
	}
	good := z.ctx(iampolicy.ContextMFASession, s, nil)
	noMFA := []map[string][]string{z.ctx(iampolicy.ContextAccessKey, s, nil), z.ctx(iampolicy.ContextSessionNoMFA, s, nil)}
	noTLS := z.ctx(iampolicy.ContextMFASession, s, func(c map[string][]string) { c["aws:SecureTransport"] = []string{"false"} })
	stale := z.ctx(iampolicy.ContextMFASession, s, func(c map[string][]string) {
		c["aws:MultiFactorAuthAge"] = []string{strconv.Itoa(z.opts.MaxMFAAge + 1)}
	})
	const act = "sts:AssumeRole"
	for _, role := range adminRoles {
		ac := AssumeCheck{Role: role, Loopholes: []string{}}
		if d := z.decideCached(s, "mfa", act, role, good); d.Allowed {
			g := z.grant(s, iampolicy.ContextMFASession, act, role, d)
			ac.Allowed = &g
		}
		if z.decideCached(s, "access_key", act, role, noMFA[0]).Allowed || z.decideCached(s, "session_no_mfa", act, role, noMFA[1]).Allowed {
			ac.Loopholes = append(ac.Loopholes, "no_mfa")
		}
		if z.decideCached(s, "no_tls", act, role, noTLS).Allowed {
			ac.Loopholes = append(ac.Loopholes, "no_tls")
		}
		if z.decideCached(s, "stale_mfa", act, role, stale).Allowed {
			ac.Loopholes = append(ac.Loopholes, "stale_mfa")
		}
		if ac.Allowed == nil && len(ac.Loopholes) == 0 {
			continue
		}
		sum.Roles++
		if len(ac.Loopholes) > 0 {
			sum.LoopholeCount++
			sum.Loopholes = append(sum.Loopholes, ac)
		}
	}
	return sum
}

func (z *analyzer) user(u *Subject, adminRoles []string, groups map[string]*GroupAccess) *UserAccess {
	ua := &UserAccess{ARN: u.ARN, Name: u.Name, WithoutMFA: []Grant{}, OtherUsers: []Grant{}, MFAGroups: []string{}}
	for _, g := range z.a.userGroups[u.ARN] {
		if ga := groups[z.a.groupARN[g]]; ga != nil && ga.RequiresMFA {
			ua.MFAGroups = append(ua.MFAGroups, g)
		}
	}
	sort.Strings(ua.MFAGroups)

	ua.MFAEnforced, ua.MFAEnforcedBy, ua.MFAGap = z.mfaEnforced(u)

	probes := z.userProbes(u)
	for _, cn := range []string{iampolicy.ContextAccessKey, iampolicy.ContextSessionNoMFA} {
		c := z.ctx(cn, u, nil)
		// A user allowed any action in this context is reported as that one
		// grant (action "*"), not as a sample of actions.
		if z.anyAllowMatches(u, anyActionProbe) {
			if d := z.decide(u, anyActionProbe, "*", c); d.Allowed {
				ua.WithoutMFA = append(ua.WithoutMFA, z.grant(u, cn, anyActionProbe, "*", d))
				continue
			}
		}
		// On resource "*", in one context, for one principal, two actions
		// covered by the same statements get the same decision: evaluate
		// once per distinct set of covering statements. Every allowed probe
		// is kept: the evidence is whole.
		bySig := map[string]iampolicy.Decision{}
		for _, pr := range probes {
			act := pr.action
			if act == anyActionProbe {
				continue
			}
			for i, res := range candidateResources(u, pr) {
				var d iampolicy.Decision
				if i == 0 {
					var seen bool
					if d, seen = bySig[pr.sig]; !seen {
						d = z.decide(u, act, res, c)
						bySig[pr.sig] = d
					}
				} else {
					d = z.decide(u, act, res, c)
				}
				if d.Allowed {
					ua.WithoutMFA = append(ua.WithoutMFA, z.grant(u, cn, act, res, d))
					break
				}
			}
		}
	}

	other := z.otherUserARN(u)
	otherName := strings.TrimPrefix(other, z.arn("user/"))
	for _, act := range credentialActions {
		if !z.anyAllowMatches(u, act) {
			continue
		}
		res := other
		if act == "iam:DeleteVirtualMFADevice" {
			res = z.arn("mfa/" + otherName)
		}
		for _, cn := range iampolicy.ContextNames {
			if d := z.decideCached(u, cn, act, res, z.ctx(cn, u, nil)); d.Allowed {
				ua.OtherUsers = append(ua.OtherUsers, z.grant(u, cn, act, res, d))
				break
			}
		}
	}

	ua.Admin = z.admin(u, []string{iampolicy.ContextAccessKey, iampolicy.ContextSessionNoMFA, iampolicy.ContextMFASession})
	if ua.Admin == nil {
		ua.Admin = []Grant{}
	}
	for _, g := range ua.Admin {
		if g.Context != iampolicy.ContextMFASession {
			ua.AdminWithoutMFA = true
		}
	}
	ua.AssumeAdmin = z.assumeAdmin(u, adminRoles)
	return ua
}

// userProbes: a fixed sample of every service's actions plus every concrete
// action the user's Allow statements name, minus self-service.
func (z *analyzer) userProbes(u *Subject) []probe {
	key := z.policyKey(u)
	if p, ok := z.probes.Load(key); ok {
		return p.([]probe)
	}
	p := z.computeProbes(u)
	z.probes.Store(key, p)
	return p
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

// probe is an action to try and the identity of the statements (of any
// effect) whose Action covers it.
type probe struct {
	action   string
	sig      string
	patterns []string // Resource patterns (not "*") of the covering Allow statements
}

func (z *analyzer) computeProbes(u *Subject) []probe {
	refs := u.Set.Identity
	if u.Set.Boundary != nil {
		refs = append(append([]iampolicy.PolicyRef(nil), refs...), *u.Set.Boundary)
	}
	seen := map[string]bool{}
	var out []probe
	add := func(a, k string) {
		if seen[k] || selfService[k] || unauthorised[k] {
			return
		}
		seen[k] = true
		svc, _, _ := strings.Cut(k, ":")
		var sig []byte
		var patterns []string
		allow := false
		for ri, r := range refs {
			for si := range r.Policy.Statements {
				st := &r.Policy.Statements[si]
				if z.covers(st, svc, a) {
					sig = strconv.AppendInt(sig, int64(ri), 10)
					sig = append(sig, '.')
					sig = strconv.AppendInt(sig, int64(si), 10)
					sig = append(sig, ',')
					if st.Effect == "Allow" && ri < len(u.Set.Identity) {
						allow = true
						for _, pat := range st.Resource {
							if pat != "*" && !slices.Contains(patterns, pat) {
								patterns = append(patterns, pat)
							}
						}
					}
				}
			}
		}
		if allow {
			out = append(out, probe{action: a, sig: string(sig), patterns: patterns})
		}
	}
	// Only services an Allow statement can reach are worth probing.
	allServices := false
	services := map[string]bool{}
	for _, r := range u.Set.Identity {
		for i := range r.Policy.Statements {
			st := &r.Policy.Statements[i]
			if st.Effect != "Allow" {
				continue
			}
			info := z.services(st)
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
				if len(exp) <= z.opts.MaxWildcardList {
					for _, a := range exp {
						add(a, strings.ToLower(a))
					}
				}
			}
		}
	}
	for _, e := range probeSample() {
		if allServices || services[e.service] {
			add(e.action, e.lower)
		}
	}
	return out
}

// candidateResources: "*" and each Resource pattern of the Allow statements
// that cover the action, with wildcards and the user's variables filled in,
// so that a resource-scoped allow is found too.
func candidateResources(u *Subject, pr probe) []string {
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

var expanded sync.Map // pattern -> []string

// expandAction memoises the catalogue expansion of an Action pattern.
func expandAction(pat string) []string {
	if v, ok := expanded.Load(pat); ok {
		return v.([]string)
	}
	exp := iampolicy.ExpandAction(pat)
	expanded.Store(pat, exp)
	return exp
}

var (
	sampleOnce sync.Once
	sample     []sampleAction
)

type sampleAction struct{ action, lower, service string }

// probeSample is up to two actions of each access level of every service,
// plus the actions attackers reach for first.
func probeSample() []sampleAction {
	sampleOnce.Do(func() {
		count := map[string]int{}
		var names []string
		for _, a := range iampolicy.ExpandAction("*") {
			svc, _, _ := strings.Cut(a, ":")
			key := svc + "/" + iampolicy.AccessLevel(a)
			if count[key] < 2 {
				count[key]++
				names = append(names, a)
			}
		}
		names = append(names, "s3:GetObject", "s3:PutObject", "s3:ListAllMyBuckets", "s3:DeleteBucket",
			"ec2:RunInstances", "ec2:DescribeInstances", "lambda:CreateFunction", "lambda:InvokeFunction",
			"kms:Decrypt", "secretsmanager:GetSecretValue", "ssm:GetParameter", "sts:AssumeRole",
			"organizations:LeaveOrganization", "account:CloseAccount", "cloudtrail:StopLogging",
			"dynamodb:Scan", "rds:DeleteDBInstance", anyActionProbe)
		for _, a := range names {
			lower := strings.ToLower(a)
			svc, _, _ := strings.Cut(lower, ":")
			sample = append(sample, sampleAction{action: a, lower: lower, service: svc})
		}
	})
	return sample
}
