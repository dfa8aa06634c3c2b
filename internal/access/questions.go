package access

// The guide's questions about one principal: without MFA, other users' credentials, admin, assume-admin loopholes.

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

func (z *analyzer) grant(s *Subject, ctxName ContextName, action, resource string, d iampolicy.Decision) Grant {
	g := grantFrom(ctxName, action, resource, d, s.Set)
	if g.Kind.viaGroup() {
		for _, gname := range z.a.userGroups[s.ARN] {
			for _, r := range z.a.groups[gname] {
				if PolicyKind(r.Kind) == g.Kind && (r.Name == g.Policy || r.Policy.Name == g.Policy) {
					g.Group = gname
					return g
				}
			}
		}
		g.Group = s.viaGroup
	}
	return g
}

func grantFrom(ctxName ContextName, action, resource string, d iampolicy.Decision, set iampolicy.PolicySet) Grant {
	g := Grant{Context: ctxName, Action: action, Resource: resource}
	for _, m := range d.Matched {
		if Effect(m.Effect) == EffectAllow {
			g.Policy, g.Kind, g.Statement = m.Policy, PolicyKind(m.PolicyKind), m.Label()
			g.PolicyARN = policyARN(set, m.Policy, g.Kind)
			break
		}
	}
	return g
}

func policyARN(set iampolicy.PolicySet, name string, kind PolicyKind) string {
	for _, r := range set.Identity {
		if PolicyKind(r.Kind) == kind && (r.Name == name || (r.Policy != nil && r.Policy.Name == name)) {
			return r.ARN
		}
	}
	return ""
}

func (z *analyzer) admin(s *Subject, ctxNames []ContextName, cs *requestContexts) []Grant {
	var grants []Grant
	for _, cn := range ctxNames {
		c := cs.get(cn)
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

func (z *analyzer) role(r *Subject) *RoleAccess {
	ra := &RoleAccess{ARN: r.ARN, Name: r.Name, MaxSessionDuration: z.a.maxSession[r.ARN]}
	ra.AdminEvidence = z.admin(r, []ContextName{ContextMFASession}, z.contexts(r))
	ra.Admin = len(ra.AdminEvidence) > 0
	if ra.AdminEvidence == nil {
		ra.AdminEvidence = []Grant{}
	}
	ra.Trust = z.trust(r)
	return ra
}

func (z *analyzer) member(name string, refs []iampolicy.PolicyRef) *Subject {
	p := z.probePrincipal("")
	s := &Subject{Kind: "user", Name: p.Name, ARN: p.ARN, Principal: p, Set: iampolicy.PolicySet{Identity: refs}, viaGroup: name}
	z.a.withOrg(s)
	return s
}

func (z *analyzer) group(name string, adminRoles []string) *GroupAccess {
	refs := z.a.groups[name]
	m := z.member(name, refs)
	ga := &GroupAccess{ARN: z.a.groupARN[name], Name: name, PolicyCount: len(refs)}
	cs := z.contexts(m)
	ga.RequiresMFA, ga.MFAEvidence = z.requiresMFA(m, cs)
	ga.Admin = z.admin(m, allContexts, cs)
	if ga.Admin == nil {
		ga.Admin = []Grant{}
	}
	ga.AssumeAdmin = z.assumeAdmin(m, adminRoles, cs)
	return ga
}

// requiresMFA: the policies explicitly deny non-self-service requests made
// with access keys or a session without MFA.
func (z *analyzer) requiresMFA(s *Subject, cs *requestContexts) (bool, string) {
	ok, evidence, _ := z.mfaEnforced(s, cs)
	return ok, evidence
}

// mfaEnforced also says, when the requirement is missing, which request
// without MFA is not explicitly denied.
func (z *analyzer) mfaEnforced(s *Subject, cs *requestContexts) (ok bool, evidence, gap string) {
	for _, cn := range contextsWithoutMFA {
		c := cs.get(cn)
		for _, act := range nonIAMSamples {
			d := z.decideCached(s, cn, act, "*", c)
			if d.Effect != iampolicy.ExplicitDeny {
				return false, "", act + " " + contextPhrase[cn]
			}
			if evidence == "" {
				evidence = denyEvidence(d.Matched)
			}
		}
	}
	return true, evidence, ""
}

const assumeRole = "sts:AssumeRole"

func (z *analyzer) assumeAdmin(s *Subject, adminRoles []string, cs *requestContexts) AssumeSummary {
	sum := AssumeSummary{Loopholes: []AssumeClass{}}
	if len(adminRoles) == 0 || !z.anyAllowMatches(s, assumeRole) {
		return sum
	}
	key, shared := z.assumeKey(s)
	if shared {
		if v, ok := z.assume.Load(key); ok {
			return v.(AssumeSummary)
		}
	}
	good := cs.get(ContextMFASession)
	noMFA := []map[string][]string{cs.get(ContextAccessKey), cs.get(ContextSessionNoMFA)}
	noTLS := z.ctx(ContextMFASession, s, func(c map[string][]string) { c["aws:SecureTransport"] = []string{"false"} })
	stale := z.ctx(ContextMFASession, s, func(c map[string][]string) {
		c["aws:MultiFactorAuthAge"] = []string{strconv.Itoa(maxMFAAge + 1)}
	})
	// Roles that every statement covering sts:AssumeRole treats alike get
	// the same decisions: ask once per class, on its first role.
	type member struct {
		class *AssumeClass
		roles []string
	}
	type verdict struct {
		allowed bool
		m       *member // nil: no loophole
	}
	// Roles with the same verdict (same allowing statement, same
	// loopholes) form one AssumeClass: the summary grows with the kinds of
	// treatment, not with the number of admin roles.
	classOf := z.resourceClasses(s, assumeRole)
	byClass := map[string]*verdict{}
	var classes []*member
	byVerdict := map[string]*member{}
	for _, role := range adminRoles {
		class := classOf(role)
		v := byClass[class]
		if v == nil {
			d := z.decideCached(s, ContextMFASession, assumeRole, role, good)
			var ls []Loophole
			if z.decideCached(s, ContextAccessKey, assumeRole, role, noMFA[0]).Allowed ||
				z.decideCached(s, ContextSessionNoMFA, assumeRole, role, noMFA[1]).Allowed {
				ls = append(ls, LoopholeNoMFA)
			}
			if z.decideCached(s, tagNoTLS, assumeRole, role, noTLS).Allowed {
				ls = append(ls, LoopholeNoTLS)
			}
			if z.decideCached(s, tagStaleMFA, assumeRole, role, stale).Allowed {
				ls = append(ls, LoopholeStaleMFA)
			}
			v = &verdict{allowed: d.Allowed || len(ls) > 0}
			if len(ls) > 0 {
				var g *Grant
				vk := fmt.Sprint(ls)
				if d.Allowed {
					gr := z.grant(s, ContextMFASession, assumeRole, role, d)
					g = &gr
					vk += "|" + string(g.Context) + "|" + g.Policy + "|" + g.PolicyARN + "|" + string(g.Kind) + "|" + g.Statement + "|" + g.Group
				}
				v.m = byVerdict[vk]
				if v.m == nil {
					v.m = &member{class: &AssumeClass{Role: role, Allowed: g, Loopholes: ls}}
					byVerdict[vk] = v.m
					classes = append(classes, v.m)
				}
			}
			byClass[class] = v
		}
		if !v.allowed {
			continue
		}
		sum.Roles++
		if v.m != nil {
			sum.LoopholeCount++
			v.m.roles = append(v.m.roles, role)
		}
	}
	for _, m := range classes {
		c := *m.class
		c.RoleCount = len(m.roles)
		if len(m.roles) > 1 {
			c.RoleSet = roleSetID(m.roles)
			c.roles = m.roles
		}
		sum.Loopholes = append(sum.Loopholes, c)
	}
	if shared {
		z.assume.Store(key, sum)
	}
	return sum
}

// user answers the questions about one user. Users whose verdicts cannot
// differ (same policies, groups and type, no statement that reads the
// principal) share them: only the ARN and name are the user's own.
func (z *analyzer) user(u *Subject, adminRoles []string, groups map[string]*GroupAccess) *UserAccess {
	key, shared := z.userKey(u)
	if shared {
		if v, ok := z.users.Load(key); ok {
			ua := *v.(*UserAccess)
			ua.ARN, ua.Name = u.ARN, u.Name
			return &ua
		}
	}
	ua := z.userVerdicts(u, adminRoles, groups)
	if shared {
		z.users.LoadOrStore(key, ua)
	}
	return ua
}

func (z *analyzer) userVerdicts(u *Subject, adminRoles []string, groups map[string]*GroupAccess) *UserAccess {
	ua := &UserAccess{ARN: u.ARN, Name: u.Name, WithoutMFA: []Grant{}, OtherUsers: []Grant{}, MFAGroups: []string{}}
	for _, g := range z.a.userGroups[u.ARN] {
		if ga := groups[z.a.groupARN[g]]; ga != nil && ga.RequiresMFA {
			ua.MFAGroups = append(ua.MFAGroups, g)
		}
	}
	sort.Strings(ua.MFAGroups)

	cs := z.contexts(u)
	ua.MFAEnforced, ua.MFAEnforcedBy, ua.MFAGap = z.mfaEnforced(u, cs)

	var probes []probe
	for _, cn := range contextsWithoutMFA {
		c := cs.get(cn)
		// A user allowed any action in this context is reported as that one
		// grant (action "*"), not as a sample of actions.
		if z.anyAllowMatches(u, anyActionProbe) {
			if d := z.decideCached(u, cn, anyActionProbe, "*", c); d.Allowed {
				ua.WithoutMFA = append(ua.WithoutMFA, z.grant(u, cn, anyActionProbe, "*", d))
				continue
			}
		}
		if probes == nil {
			probes = z.userProbes(u)
		}
		// On resource "*", in one context, for one principal, two actions
		// covered by the same statements get the same decision: evaluate
		// once per distinct set of covering statements. Every allowed probe
		// is kept: the evidence is whole.
		bySig := map[int]iampolicy.Decision{}
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
						d = z.decideCached(u, cn, act, res, c)
						bySig[pr.sig] = d
					}
				} else {
					d = z.decideCached(u, cn, act, res, c)
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
		for _, cn := range allContexts {
			if d := z.decideCached(u, cn, act, res, cs.get(cn)); d.Allowed {
				ua.OtherUsers = append(ua.OtherUsers, z.grant(u, cn, act, res, d))
				break
			}
		}
	}

	ua.Admin = z.admin(u, allContexts, cs)
	if ua.Admin == nil {
		ua.Admin = []Grant{}
	}
	for _, g := range ua.Admin {
		if g.Context != ContextMFASession {
			ua.AdminWithoutMFA = true
		}
	}
	ua.AssumeAdmin = z.assumeAdmin(u, adminRoles, cs)
	return ua
}

// roleSetID names a set of admin roles by its content, so that the name is
// the same in every audit of the same roles whatever else changes.
func roleSetID(roles []string) string {
	h := sha256.New()
	for _, r := range roles {
		h.Write([]byte(r))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
