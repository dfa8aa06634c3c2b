package iampolicy

import (
	"strconv"
	"strings"
)

// Allows reports whether the statement's Action/NotAction element covers
// action (case-insensitive, with * and ? wildcards).
func (st *Statement) Allows(action string) bool { return st.matchAction(action) }

func (st *Statement) matchAction(action string) bool {
	for i := range st.actions {
		if st.actions[i].match(action) {
			return !st.notAction
		}
	}
	return st.notAction
}

func (st *Statement) matchResource(resource string, e *env, resourcePolicy bool) bool {
	if st.anyResource {
		return true
	}
	for i := range st.resources {
		m, ok := st.resources[i].matchResolved(resource, e, resourcePolicy)
		if m {
			return !st.notResource
		}
		if !ok && st.notResource {
			// An unresolvable variable makes the statement invalid, so a
			// NotResource statement does not apply (policy variables page).
			return false
		}
	}
	return st.notResource
}

// conditionsHold evaluates the Condition block: operators and keys are
// AND'ed. Absent keys are noted for Decision.Missing.
func (st *Statement) conditionsHold(e *env) bool {
	ok := true
	for i := range st.Conditions {
		c := &st.Conditions[i]
		m, absent := evalCondition(c, e)
		if absent && !c.IfExists && c.Qualifier == "" {
			e.noteMissing(c.Key)
		}
		if !m {
			ok = false
			if !e.track {
				return false
			}
		}
	}
	return ok
}

// principal match strength for resource-based policies.
type princMatch uint8

const (
	pmNone     princMatch = iota
	pmAccount             // the account (root ARN or account ID)
	pmRole                // the role ARN of a role session
	pmWildcard            // "*"
	pmDirect              // the principal's own ARN (user, session), unique ID, service
)

func matchPrincipal(ps *PrincipalSpec, p *Principal) princMatch {
	best := pmNone
	if ps.Wildcard {
		best = pmWildcard
	}
	acct := p.accountID()
	for _, a := range ps.AWS {
		m := pmNone
		switch {
		case a == "*":
			m = pmWildcard
		case a == p.ARN && p.ARN != "":
			switch p.Type {
			case "root":
				m = pmAccount
			case "role":
				m = pmRole
			default:
				m = pmDirect
			}
		case p.ID != "" && a == p.ID:
			m = pmDirect
		case acct != "" && (a == acct || isRootARN(a, acct)):
			m = pmAccount
		case (p.Type == "assumed-role") && a == p.roleARN():
			m = pmRole
		}
		if m > best {
			best = m
		}
	}
	if p.Type == "service" {
		for _, s := range ps.Service {
			if strings.EqualFold(s, p.Name) {
				best = pmDirect
			}
		}
	}
	if p.Type == "federated" {
		for _, f := range ps.Federated {
			if f == p.Name || (p.ARN != "" && f == p.ARN) {
				best = pmDirect
			}
		}
	}
	return best
}

func isRootARN(a, acct string) bool {
	return strings.HasPrefix(a, "arn:") && strings.HasSuffix(a, ":iam::"+acct+":root")
}

// notPrincipalApplies: a NotPrincipal statement applies unless every
// identity AWS may validate for the caller is listed -- the account, the role
// (for a role session) and the principal itself. The NotPrincipal page
// recommends listing all of them because AWS "might validate the account
// first, then the role, and then the assumed-role user".
func notPrincipalApplies(ps *PrincipalSpec, p *Principal) bool {
	if ps.Wildcard {
		return false
	}
	if p.Type == "service" {
		for _, s := range ps.Service {
			if strings.EqualFold(s, p.Name) {
				return false
			}
		}
		return true
	}
	acct := p.accountID()
	role := ""
	if p.Type == "assumed-role" {
		role = p.roleARN()
	}
	selfListed, acctListed, roleListed := false, false, role == ""
	for _, a := range ps.AWS {
		if a == p.ARN || (p.ID != "" && a == p.ID) {
			selfListed = true
		}
		if acct != "" && (a == acct || isRootARN(a, acct)) {
			acctListed = true
		}
		if role != "" && a == role {
			roleListed = true
		}
	}
	if p.Type == "root" {
		selfListed = acctListed
	}
	return !(selfListed && acctListed && roleListed)
}

type policyResult struct {
	allow, deny bool
	allowPM     princMatch // strongest principal match among allowing statements (resource policies)
	firstDeny   int        // index into Decision.Matched, -1 if none
	firstAllow  int
	bestAllow   int // index of the allowing statement with the strongest principal match
}

func evalPolicy(ref *PolicyRef, kind string, resource bool, hasBoundary bool, e *env, d *Decision) policyResult {
	r := policyResult{firstDeny: -1, firstAllow: -1, bestAllow: -1}
	if ref == nil || ref.Policy == nil {
		return r
	}
	req := e.req
	for i := range ref.Policy.Statements {
		st := &ref.Policy.Statements[i]
		if !st.matchAction(req.Action) {
			continue
		}
		pm := pmDirect
		if resource {
			switch {
			case st.Principal != nil:
				pm = matchPrincipal(st.Principal, &req.Principal)
			case st.NotPrincipal != nil:
				// NotPrincipal with Deny always denies principals that have
				// a permissions boundary (IAM User Guide, permissions boundaries).
				if (st.Effect == "Deny" && hasBoundary) || notPrincipalApplies(st.NotPrincipal, &req.Principal) {
					pm = pmWildcard
				} else {
					pm = pmNone
				}
			default:
				pm = pmNone // a resource-based statement must name a principal
			}
			if pm == pmNone {
				continue
			}
		}
		if !st.matchResource(req.Resource, e, resource) {
			continue
		}
		if !st.conditionsHold(e) {
			continue
		}
		d.Matched = append(d.Matched, MatchedStatement{Policy: policyName(ref), PolicyKind: kind, Sid: st.Sid, Index: st.Index, Effect: st.Effect})
		if st.Effect == "Deny" {
			if !r.deny {
				r.firstDeny = len(d.Matched) - 1
			}
			r.deny = true
		} else {
			if !r.allow {
				r.firstAllow = len(d.Matched) - 1
			}
			r.allow = true
			if pm > r.allowPM || r.bestAllow < 0 {
				r.allowPM = pm
				r.bestAllow = len(d.Matched) - 1
			}
		}
	}
	return r
}

func policyName(ref *PolicyRef) string {
	switch {
	case ref.Name != "":
		return ref.Name
	case ref.ARN != "":
		return ref.ARN
	case ref.Policy != nil && ref.Policy.Name != "":
		return ref.Policy.Name
	}
	return ref.Kind
}

// Evaluate decides req against set with AWS's documented logic
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-denyallow.html):
//
//  1. An explicit Deny in any applicable policy (identity, boundary,
//     resource) wins.
//  2. Within one account, an Allow in a resource-based policy that names the
//     principal itself (IAM user ARN, role session ARN, service) is enough on
//     its own; one that names a role ARN is still limited by the role's
//     permissions boundary; one that names only the account needs an Allow in
//     the identity policies (and boundary) too.
//  3. Otherwise an Allow is needed in the identity policies and, when a
//     permissions boundary is set, in the boundary too.
//  4. A role trust policy (Kind "trust") must allow the request: an
//     identity-policy Allow alone never lets a principal assume a role.
//  5. Cross-account (the resource ARN's account differs from the
//     principal's): identity and resource-based policy must both allow.
//
// Organization policies (set.SCPs, set.RCPs) bound all of this: an explicit
// Deny in one is an explicit deny, and a level of the organization where no
// attached policy allows the request denies it, even when a resource-based
// policy names the principal. SCPs apply to every principal of a member
// account (its root user included) but not to AWS services. RCPs restrict
// by their Deny statements (AWS attaches RCPFullAWSAccess, the only RCP that
// may Allow, to every level for good), and only for the services that
// support them (rcpServices).
//
// Session policies and endpoint policies are not modelled.
func Evaluate(set PolicySet, req Request) Decision {
	e := &env{req: &req, track: true}
	var d Decision
	switch {
	case strings.EqualFold(req.Action, "sts:GetCallerIdentity"):
		// "No permissions are required to perform this operation", and an
		// explicit deny does not block it (AWS STS API Reference).
		d.Effect, d.Allowed = Allow, true
		d.Reason = "sts:GetCallerIdentity needs no permissions and cannot be denied"
		return d
	case strings.EqualFold(req.Action, "sts:GetSessionToken"):
		// "No permissions are required for a user to get a session token
		// ... You cannot use policies to control authentication operations"
		// (IAM User Guide, Permissions for GetSessionToken). Only long-term
		// credentials of an IAM user or the root user can call it.
		if req.Principal.Type == "user" || req.Principal.Type == "root" {
			d.Effect, d.Allowed = Allow, true
			d.Reason = "sts:GetSessionToken needs no permissions and policies cannot control it"
		} else {
			d.Effect = ImplicitDeny
			d.Reason = "sts:GetSessionToken can only be called with the long-term credentials of an IAM user or the root user"
		}
		return d
	}

	d.Matched = make([]MatchedStatement, 0, 4)
	var idAllow bool
	idFirstAllow, firstDeny, resFirstAllow := -1, -1, -1
	for i := range set.Identity {
		ref := &set.Identity[i]
		r := evalPolicy(ref, ref.Kind, false, false, e, &d)
		if r.allow && idFirstAllow < 0 {
			idFirstAllow = r.firstAllow
		}
		if r.deny && firstDeny < 0 {
			firstDeny = r.firstDeny
		}
		idAllow = idAllow || r.allow
	}
	boundaryAllow := true
	var boundaryName string
	if set.Boundary != nil {
		kind := set.Boundary.Kind
		if kind == "" {
			kind = "boundary"
		}
		boundaryName = policyName(set.Boundary)
		r := evalPolicy(set.Boundary, kind, false, false, e, &d)
		boundaryAllow = r.allow
		if r.deny && firstDeny < 0 {
			firstDeny = r.firstDeny
		}
	}
	var resAllow bool
	var resPM princMatch
	trust := false
	var trustName string
	for i := range set.Resource {
		ref := &set.Resource[i]
		kind := ref.Kind
		if kind == "" {
			kind = "resource"
		}
		if kind == "trust" {
			trust = true
			if trustName == "" {
				trustName = policyName(ref)
			}
		}
		r := evalPolicy(ref, kind, true, set.Boundary != nil, e, &d)
		if r.allow {
			if !resAllow || r.allowPM > resPM {
				resPM = r.allowPM
				resFirstAllow = r.bestAllow
			}
			resAllow = true
		}
		if r.deny && firstDeny < 0 {
			firstDeny = r.firstDeny
		}
	}
	orgDenied := ""
	if len(set.SCPs) > 0 && req.Principal.Type != "service" {
		fd, reason := evalOrgLevels(set.SCPs, KindSCP, false, e, &d)
		if fd >= 0 && firstDeny < 0 {
			firstDeny = fd
		}
		orgDenied = reason
	}
	if len(set.RCPs) > 0 && rcpApplies(req.Action) {
		// Only RCPFullAWSAccess may Allow, and AWS attaches it to every
		// level for good: an RCP restricts by its Deny statements alone.
		if fd, _ := evalOrgLevels(set.RCPs, KindRCP, true, e, &d); fd >= 0 && firstDeny < 0 {
			firstDeny = fd
		}
	}
	d.Missing = e.missing
	p := &req.Principal
	what := func() string { return req.Action + " on " + req.Resource }

	at := func(i int) *MatchedStatement {
		if i < 0 {
			return nil
		}
		return &d.Matched[i]
	}
	if firstDeny >= 0 {
		d.Effect = ExplicitDeny
		d.Reason = "explicitly denied by " + describe(at(firstDeny))
		return d
	}

	identityOK := idAllow && boundaryAllow
	if orgDenied != "" {
		d.Effect = ImplicitDeny
		d.Reason = orgDenied
		if len(d.Missing) > 0 {
			d.Reason += " (the request context lacks " + strings.Join(d.Missing, ", ") + ")"
		}
		return d
	}
	allow := func(by *MatchedStatement, extra string) Decision {
		d.Effect, d.Allowed = Allow, true
		d.Reason = "allowed by " + describe(by) + extra
		return d
	}
	deny := func(reason string) Decision {
		d.Effect = ImplicitDeny
		d.Reason = reason
		if len(d.Missing) > 0 {
			d.Reason += " (the request context lacks " + strings.Join(d.Missing, ", ") + ")"
		}
		return d
	}

	resAcct := arnAccount(req.Resource)
	cross := len(set.Resource) > 0 && resAcct != "" && p.accountID() != "" && resAcct != p.accountID()

	if p.Type == "root" {
		switch {
		case trust:
			return deny("the root user cannot assume roles")
		case cross && !resAllow:
			return deny("cross-account request by a root user: no resource-based policy statement allows " + what())
		}
		d.Effect, d.Allowed = Allow, true
		d.Reason = "the account root user has full access to its own account unless explicitly denied"
		if cross {
			d.Reason = "allowed by " + describe(at(resFirstAllow)) + " (the root user needs no identity policy)"
		}
		return d
	}
	if cross {
		switch {
		case !resAllow:
			return deny("cross-account request: no resource-based policy statement allows " + what())
		case !idAllow:
			return deny("cross-account request: allowed by " + describe(at(resFirstAllow)) + " but no identity policy allows " + what())
		case !boundaryAllow:
			return deny("cross-account request: not allowed by permissions boundary " + boundaryName)
		}
		return allow(at(idFirstAllow), " and "+describe(at(resFirstAllow)))
	}

	if resAllow {
		switch resPM {
		case pmDirect, pmWildcard:
			// Naming the principal itself, or everyone ("*"), grants the
			// user or session directly.
			return allow(at(resFirstAllow), " (it names the principal directly, so identity policies and boundary are not required)")
		case pmRole:
			if boundaryAllow {
				return allow(at(resFirstAllow), "")
			}
			// An implicit deny in the role's boundary limits a grant to the role ARN.
		}
		if identityOK {
			return allow(at(idFirstAllow), " and "+describe(at(resFirstAllow)))
		}
		switch {
		case resPM == pmAccount && !idAllow:
			return deny(describe(at(resFirstAllow)) + " names only the account, and no identity policy allows " + what())
		case resPM == pmAccount:
			return deny("allowed by " + describe(at(resFirstAllow)) + " and identity policies, but not by permissions boundary " + boundaryName)
		}
		return deny(describe(at(resFirstAllow)) + " grants the role, but permissions boundary " + boundaryName + " does not allow " + what())
	}
	if trust {
		return deny("the trust policy " + trustName + " does not allow " + req.Principal.ARN + " to perform " + req.Action)
	}
	if !idAllow {
		return deny("no identity policy statement allows " + what())
	}
	if !boundaryAllow {
		return deny("allowed by " + describe(at(idFirstAllow)) + " but not by permissions boundary " + boundaryName)
	}
	return allow(at(idFirstAllow), "")
}

// evalOrgLevels evaluates the organization policies of each level. It
// returns the index in d.Matched of the first Deny (-1 if none) and, when a
// level has no Allow for the request, why that denies it (for SCPs).
func evalOrgLevels(levels []OrgLevel, kind string, resource bool, e *env, d *Decision) (firstDeny int, denied string) {
	firstDeny = -1
	name := "service control policy"
	if kind == KindRCP {
		name = "resource control policy"
	}
	for _, lv := range levels {
		allowed := false
		for i := range lv.Policies {
			r := evalPolicy(&lv.Policies[i], kind, resource, false, e, d)
			if r.deny && firstDeny < 0 {
				firstDeny = r.firstDeny
			}
			allowed = allowed || r.allow
		}
		if !allowed && denied == "" {
			denied = "no " + name + " attached to " + lv.Target + " allows " + e.req.Action + " on " + e.req.Resource
		}
	}
	return firstDeny, denied
}

// rcpServices are the services whose resources RCPs restrict (AWS
// Organizations User Guide, "List of AWS services that support RCPs").
var rcpServices = map[string]bool{
	"s3": true, "sts": true, "kms": true, "sqs": true, "secretsmanager": true,
	"ecr": true, "aoss": true, "cognito-identity": true, "logs": true, "dynamodb": true,
}

func rcpApplies(action string) bool {
	svc, _, _ := strings.Cut(action, ":")
	return rcpServices[strings.ToLower(svc)]
}

func describe(m *MatchedStatement) string {
	if m == nil {
		return "no statement"
	}
	label := m.Sid
	if label == "" {
		label = "#" + strconv.Itoa(m.Index)
	}
	return m.PolicyKind + " policy " + m.Policy + " statement " + label
}

// CoversResource reports whether the statement's Resource or NotResource
// element covers resource, as Evaluate reads it for an identity policy. It
// answers only for patterns without policy variables (ok false otherwise:
// then the answer depends on the request).
func (st *Statement) CoversResource(resource string) (covers, ok bool) {
	for i := range st.resources {
		if st.resources[i].vars {
			return false, false
		}
	}
	return st.matchResource(resource, nil, false), true
}
