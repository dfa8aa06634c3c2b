package facts

// What each policy document grants on its own, asked of the policy engine
// once per distinct document (not once per principal): full administrative
// access (CIS 1.15), "*" on "*" statements (Security Hub IAM.1), statements
// granting every action of a service (IAM.21), and trust policies that let
// any principal assume the role (CIS v7 2.21).

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
	"github.com/lockdown-dev/lockdown/internal/snapshot"
)

// PolicyFacts is the policy engine's verdict on each policy document of the
// account taken on its own; null when authorization_details is not usable.
// Identical documents share one verdict.
type PolicyFacts struct {
	// Managed: the default version of each managed policy, by ARN.
	Managed map[string]*PolicyGrants `json:"managed"`
	// Inline: owner (user, group or role) ARN -> inline policy name.
	Inline map[string]map[string]*PolicyGrants `json:"inline"`
	// Trust: each role's trust policy, by role ARN.
	Trust map[string]*TrustGrants `json:"trust"`
}

// PolicyGrants is what one identity policy document grants on its own.
type PolicyGrants struct {
	// Error says why the document cannot be judged (missing, not JSON, or
	// a policy IAM would reject); the other fields are then empty.
	Error string `json:"error,omitempty"`
	// FullAdmin: in some request context (access_key, session_no_mfa,
	// mfa_session) of a user or of a role session, the document alone, its
	// own Deny statements included, allows every action (every action of
	// the catalogue that policies control, and an action no service
	// defines) on resource "*".
	FullAdmin bool `json:"full_admin"`
	// FullAdminContext is the first such context.
	FullAdminContext string `json:"full_admin_context,omitempty"`
	// FullAdminStatements are the Allow statements that granted the
	// unknown action there (Sid or #N).
	FullAdminStatements []string `json:"full_admin_statements"`
	// StarStatements are the Allow statements whose Action or NotAction
	// covers every action and whose Resource covers "*", conditions aside.
	StarStatements []string `json:"star_statements"`
	// ServiceWildcards are the Allow statements that cover every action of
	// at least one service.
	ServiceWildcards []ServiceWildcard `json:"service_wildcards"`
}

// ServiceWildcard is one Allow statement granting every action of one or
// more services.
type ServiceWildcard struct {
	Statement string `json:"statement"`
	// NotAction: the statement is written with NotAction (it grants every
	// action it does not list).
	NotAction bool `json:"not_action"`
	// AllActions: it covers every action of every service ("*").
	AllActions bool `json:"all_actions"`
	// Services are the services all of whose actions it covers (sorted).
	Services []string `json:"services"`
	// Patterns are the statement's Action (or NotAction) entries as written.
	Patterns []string `json:"patterns"`
	// Actions is the grant as evidence lists it: "*" when AllActions,
	// otherwise "service:*" for each of Services.
	Actions []string `json:"actions"`
}

// TrustGrants is whom a role trust policy admits from anywhere.
type TrustGrants struct {
	Error string `json:"error,omitempty"`
	// AnyPrincipal: a principal of an unrelated account (or an unrelated
	// federated identity) may assume the role in some request context: the
	// policy names "*" (or {"AWS": "*"}) and no condition narrows it.
	AnyPrincipal bool `json:"any_principal"`
	// Statements are the Allow statements that admitted such a principal.
	Statements []string `json:"statements"`
	// Actions and Contexts are the requests that were allowed.
	Actions  []string `json:"actions"`
	Contexts []string `json:"contexts"`
}

// outsiderAccounts are two accounts that are not the audited one: a trust
// policy admits "any principal" only when it admits both (naming one
// account, even one of these, is not "*").
var outsiderAccounts = [2]string{"999999999999", "000000000042"}

func (f *Facts) buildPolicyFacts(snap *snapshot.Snapshot) {
	if !f.OK(snapshot.SourceAuthorizationDetails) {
		return
	}
	pa := newPolicyAnalyzer(f.Account, snap.CollectedAt)
	out := &PolicyFacts{
		Managed: map[string]*PolicyGrants{},
		Inline:  map[string]map[string]*PolicyGrants{},
		Trust:   map[string]*TrustGrants{},
	}
	for i := range snap.Policies {
		p := &snap.Policies[i]
		doc := p.DefaultDocument()
		if doc == nil {
			out.Managed[p.ARN] = &PolicyGrants{Error: "default version " + p.DefaultVersionID + " is not in the snapshot",
				FullAdminStatements: []string{}, StarStatements: []string{}, ServiceWildcards: []ServiceWildcard{}}
			continue
		}
		out.Managed[p.ARN] = pa.grants(p.Name, doc)
	}
	inline := func(owner string, list []snapshot.InlinePolicy) {
		if len(list) == 0 {
			return
		}
		m := map[string]*PolicyGrants{}
		for _, ip := range list {
			m[ip.Name] = pa.grants(ip.Name, ip.Document)
		}
		out.Inline[owner] = m
	}
	for i := range snap.Users {
		inline(snap.Users[i].ARN, snap.Users[i].InlinePolicies)
	}
	for i := range snap.Groups {
		inline(snap.Groups[i].ARN, snap.Groups[i].InlinePolicies)
	}
	for i := range snap.Roles {
		r := &snap.Roles[i]
		inline(r.ARN, r.InlinePolicies)
		if len(r.AssumeRolePolicyDocument) > 0 {
			out.Trust[r.ARN] = pa.trust(r.ARN, r.Name, r.AssumeRolePolicyDocument)
		}
	}
	f.PolicyGrants = out
}

type policyAnalyzer struct {
	acct Account
	now  time.Time
	// probes are a user and a role session of the account, each with its
	// request contexts: a policy is judged as a user's and as a role's.
	probes    []probeCtx
	grantsBy  map[string]*PolicyGrants
	trustBy   map[string]*TrustGrants
	allowAll  iampolicy.PolicyRef
	outsiders []outsider
}

type namedCtx struct {
	name string
	ctx  map[string][]string
}

type probeCtx struct {
	p        iampolicy.Principal
	contexts []namedCtx
}

// outsider is one kind of unrelated principal, in each outsider account.
type outsider struct {
	action string
	in     [2]probeCtx
}

func newPolicyAnalyzer(acct Account, now time.Time) *policyAnalyzer {
	pa := &policyAnalyzer{acct: acct, now: now, grantsBy: map[string]*PolicyGrants{}, trustBy: map[string]*TrustGrants{}}
	user := iampolicy.Principal{ARN: "arn:" + acct.Partition + ":iam::" + acct.ID + ":user/lockdown-probe-user",
		AccountID: acct.ID, Type: "user", Name: "lockdown-probe-user", ID: "AIDALOCKDOWNPROBEUSER"}
	pa.probes = []probeCtx{pa.probe(user), pa.probe(roleSession(acct.Partition, acct.ID, "lockdown-probe-role"))}
	allow, err := iampolicy.Parse("lockdown-outsider-identity", []byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sts:*","Resource":"*"}]}`))
	if err != nil {
		panic(err) // a constant document
	}
	pa.allowAll = iampolicy.PolicyRef{Kind: iampolicy.KindUserInline, Name: allow.Name, Policy: allow}
	fedCtx := []namedCtx{{name: "federated", ctx: map[string][]string{"aws:SecureTransport": {"true"}}}}
	var users, roles, feds [2]probeCtx
	for i, a := range outsiderAccounts {
		users[i] = pa.probe(iampolicy.Principal{ARN: "arn:" + acct.Partition + ":iam::" + a + ":user/lockdown-outsider",
			AccountID: a, Type: "user", Name: "lockdown-outsider", ID: "AIDALOCKDOWNOUTSIDER" + a})
		roles[i] = pa.probe(roleSession(acct.Partition, a, "lockdown-outsider-role"))
		feds[i] = probeCtx{p: iampolicy.Principal{ARN: "arn:" + acct.Partition + ":iam::" + a + ":oidc-provider/lockdown-outsider-" + a + ".example",
			Type: "federated", Name: "lockdown-outsider-" + a + ".example"}, contexts: fedCtx}
	}
	pa.outsiders = []outsider{
		{action: "sts:AssumeRole", in: users},
		{action: "sts:AssumeRole", in: roles},
		{action: "sts:AssumeRoleWithWebIdentity", in: feds},
		{action: "sts:AssumeRoleWithSAML", in: feds},
	}
	return pa
}

func roleSession(partition, account, role string) iampolicy.Principal {
	return iampolicy.Principal{ARN: "arn:" + partition + ":sts::" + account + ":assumed-role/" + role + "/session",
		RoleARN: "arn:" + partition + ":iam::" + account + ":role/" + role, AccountID: account, Type: "assumed-role",
		Name: role, ID: "AROALOCKDOWNPROBE" + account + ":session"}
}

func (pa *policyAnalyzer) probe(p iampolicy.Principal) probeCtx {
	return probeCtx{p: p, contexts: pa.named(p)}
}

func (pa *policyAnalyzer) named(p iampolicy.Principal) []namedCtx {
	var out []namedCtx
	for _, n := range iampolicy.ContextNames {
		c, err := iampolicy.NamedContext(n, p, iampolicy.ContextOptions{CurrentTime: pa.now})
		if err != nil {
			panic(err) // the names are the package's own
		}
		out = append(out, namedCtx{name: n, ctx: c})
	}
	return out
}

// anyActionProbe is an action no service defines: only a statement that
// covers every action allows it.
const anyActionProbe = "lockdownprobe:AnyAction"

// serviceProbe is an action name no service defines, used as "any other
// action of this service".
const serviceProbe = "LockdownProbeAnyAction"

var (
	catalogOnce sync.Once
	catalogAll  []string            // every action of the catalogue
	catalogSvc  map[string][]string // service prefix (lower case) -> its actions
	catalogList []string            // service prefixes, sorted
)

func catalog() ([]string, map[string][]string, []string) {
	catalogOnce.Do(func() {
		catalogAll = iampolicy.ExpandAction("*")
		catalogSvc = map[string][]string{}
		for _, a := range catalogAll {
			svc, _, _ := strings.Cut(a, ":")
			svc = strings.ToLower(svc)
			catalogSvc[svc] = append(catalogSvc[svc], a)
		}
		for s := range catalogSvc {
			catalogList = append(catalogList, s)
		}
		sort.Strings(catalogList)
	})
	return catalogAll, catalogSvc, catalogList
}

// coversAll: the statement's Action/NotAction covers every action there is.
func coversAll(st *iampolicy.Statement) bool {
	if !st.Allows(anyActionProbe) {
		return false
	}
	all, _, _ := catalog()
	for _, a := range all {
		if !st.Allows(a) {
			return false
		}
	}
	return true
}

// coveredServices are the services every action of which the statement
// covers, an action the catalogue does not list yet included.
func coveredServices(st *iampolicy.Statement) []string {
	_, bySvc, services := catalog()
	out := []string{}
	for _, svc := range services {
		if !st.Allows(svc + ":" + serviceProbe) {
			continue
		}
		ok := true
		for _, a := range bySvc[svc] {
			if !st.Allows(a) {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, svc)
		}
	}
	return out
}

// grantsNothing: a NotResource that covers "*" leaves no resource.
func grantsNothing(st *iampolicy.Statement) bool {
	for _, r := range st.NotResource {
		if r == "*" {
			return true
		}
	}
	return false
}

func (pa *policyAnalyzer) grants(name string, doc []byte) *PolicyGrants {
	if g, ok := pa.grantsBy[string(doc)]; ok {
		return g
	}
	g := &PolicyGrants{FullAdminStatements: []string{}, StarStatements: []string{}, ServiceWildcards: []ServiceWildcard{}}
	pa.grantsBy[string(doc)] = g
	pol, err := iampolicy.Parse(name, doc)
	if err != nil {
		g.Error = err.Error()
		return g
	}
	anyAll := false
	for i := range pol.Statements {
		st := &pol.Statements[i]
		if st.Effect != string(iampolicy.Allow) || grantsNothing(st) {
			continue
		}
		all := coversAll(st)
		anyAll = anyAll || all
		if all {
			if covers, ok := st.CoversResource("*"); covers && ok {
				g.StarStatements = append(g.StarStatements, st.Label())
			}
		}
		var services []string
		if all {
			_, _, services = catalog()
			services = append([]string(nil), services...)
		} else {
			services = coveredServices(st)
		}
		if len(services) > 0 {
			pats := st.Action
			if len(st.Action) == 0 {
				pats = st.NotAction
			}
			actions := []string{"*"}
			if !all {
				actions = make([]string, len(services))
				for i, svc := range services {
					actions[i] = svc + ":*"
				}
			}
			g.ServiceWildcards = append(g.ServiceWildcards, ServiceWildcard{
				Statement: st.Label(), NotAction: len(st.Action) == 0, AllActions: all,
				Services: services, Patterns: append([]string{}, pats...), Actions: actions,
			})
		}
	}
	if anyAll {
		pa.fullAdmin(pol, g)
	}
	return g
}

// notByPolicy are actions policies do not control (sts:GetCallerIdentity
// always works; sts:GetSessionToken needs long-term credentials, so a role
// session never gets it): they say nothing about what a policy grants.
var notByPolicy = map[string]bool{"sts:getcalleridentity": true, "sts:getsessiontoken": true}

// fullAdmin asks the engine whether the document alone allows every action
// on "*" in one of the named contexts.
func (pa *policyAnalyzer) fullAdmin(pol *iampolicy.Policy, g *PolicyGrants) {
	set := iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{{Kind: iampolicy.KindUserInline, Name: pol.Name, Policy: pol}}}
	all, _, _ := catalog()
	for _, pr := range pa.probes {
		for _, c := range pr.contexts {
			req := iampolicy.Request{Principal: pr.p, Action: anyActionProbe, Resource: "*", Context: c.ctx}
			d := iampolicy.Evaluate(set, req)
			if !d.Allowed {
				continue
			}
			ok := true
			for _, a := range all {
				if notByPolicy[strings.ToLower(a)] {
					continue
				}
				req.Action = a
				if !iampolicy.Evaluate(set, req).Allowed {
					ok = false
					break
				}
			}
			if !ok {
				continue
			}
			g.FullAdmin, g.FullAdminContext = true, c.name
			for _, m := range d.Matched {
				if m.Effect == string(iampolicy.Allow) {
					g.FullAdminStatements = append(g.FullAdminStatements, m.Label())
				}
			}
			return
		}
	}
}

func (pa *policyAnalyzer) trust(roleARN, roleName string, doc []byte) *TrustGrants {
	key := roleARN + "\x00" + string(doc) // the role ARN is the resource asked about
	if t, ok := pa.trustBy[key]; ok {
		return t
	}
	t := &TrustGrants{Statements: []string{}, Actions: []string{}, Contexts: []string{}}
	pa.trustBy[key] = t
	tp, err := iampolicy.Parse(roleName+" trust policy", doc)
	if err != nil {
		t.Error = err.Error()
		return t
	}
	ref := iampolicy.PolicyRef{Kind: iampolicy.KindTrust, Name: tp.Name, ARN: roleARN, Policy: tp}
	stmts, actions, contexts := map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, o := range pa.outsiders {
		// The outsider's own account allows it everything in sts, so
		// that the trust policy alone decides.
		set := iampolicy.PolicySet{Identity: []iampolicy.PolicyRef{pa.allowAll}, Resource: []iampolicy.PolicyRef{ref}}
		for ci, c := range o.in[0].contexts {
			d := iampolicy.Evaluate(set, iampolicy.Request{Principal: o.in[0].p, Action: o.action, Resource: roleARN, Context: c.ctx})
			if !d.Allowed {
				continue
			}
			other := o.in[1]
			if !iampolicy.Evaluate(set, iampolicy.Request{Principal: other.p, Action: o.action, Resource: roleARN, Context: other.contexts[ci].ctx}).Allowed {
				continue // one named account, not anyone
			}
			t.AnyPrincipal = true
			actions[o.action] = true
			contexts[c.name] = true
			for _, m := range d.Matched {
				if m.Effect == string(iampolicy.Allow) && m.PolicyKind == iampolicy.KindTrust {
					stmts[m.Label()] = true
				}
			}
		}
	}
	t.Statements, t.Actions, t.Contexts = sortedKeys(stmts), sortedKeys(actions), sortedKeys(contexts)
	return t
}
