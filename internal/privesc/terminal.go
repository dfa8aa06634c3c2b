package privesc

// Terminal edges: a principal gives itself administrator power, or gives
// it to another role or user and then becomes it (one catalogue method
// for the pair of steps, such as iam-014).

import (
	"encoding/json"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/access"
	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

func (e *engine) terminalEdges() []*edge {
	var out []*edge
	out = append(out, e.selfEdges()...)
	out = append(out, e.modifyRoleEdges()...)
	out = append(out, e.modifyUserEdges()...)
	return out
}

// customerManaged lists the customer managed policies that apply to a
// subject (directly or through its groups).
func customerManaged(s *access.Subject) []string {
	var out []string
	for _, r := range s.Set.Identity {
		k := access.PolicyKind(r.Kind)
		if (k == access.KindUserManaged || k == access.KindGroupManaged || k == access.KindRoleManaged) &&
			strings.Contains(r.ARN, ":policy/") && !strings.Contains(r.ARN, ":iam::aws:policy/") && !contains(out, r.ARN) {
			out = append(out, r.ARN)
		}
	}
	return out
}

func (e *engine) selfEdges() []*edge {
	attach := map[string]string{"iam:PolicyARN": e.adminARN}
	type self struct {
		id, action string
		extra      map[string]string
		resources  func(p *principal) []string
	}
	own := func(typ string) func(p *principal) []string {
		return func(p *principal) []string {
			if p.typ == typ || (typ == "user" && p.typ == "group") {
				return []string{p.subj.ARN}
			}
			return nil
		}
	}
	groups := func(p *principal) []string {
		if p.typ == "role" {
			return nil
		}
		return p.groups
	}
	policies := func(p *principal) []string { return customerManaged(p.subj) }
	adminGroups := func(p *principal) []string {
		if p.typ == "role" {
			return nil
		}
		var out []string
		for _, q := range e.principals {
			if q.typ == "group" && q.adminFrom >= 0 && !contains(p.groups, q.arn) {
				out = append(out, q.arn)
			}
		}
		return out
	}
	adminVersions := func(p *principal) []string {
		var out []string
		for _, arn := range customerManaged(p.subj) {
			if e.opts.Inventory.AdminVersions[arn] != "" {
				out = append(out, arn)
			}
		}
		return out
	}
	list := []self{
		{"iam-007", "iam:PutUserPolicy", nil, own("user")},
		{"iam-008", "iam:AttachUserPolicy", attach, own("user")},
		{"iam-005", "iam:PutRolePolicy", nil, own("role")},
		{"iam-009", "iam:AttachRolePolicy", attach, own("role")},
		{"iam-011", "iam:PutGroupPolicy", nil, groups},
		{"iam-010", "iam:AttachGroupPolicy", attach, groups},
		{"iam-001", "iam:CreatePolicyVersion", nil, policies},
		{"ext-iam-setdefaultpolicyversion", "iam:SetDefaultPolicyVersion", nil, adminVersions},
		{"iam-013", "iam:AddUserToGroup", nil, adminGroups},
	}
	var out []*edge
	for _, m := range list {
		for _, g := range e.coverGroups(m.action) {
			for _, p := range g.members {
				if e.capped(p.subj) {
					continue // what it gives itself, its boundary takes away
				}
				for _, res := range m.resources(p) {
					for _, c := range allCtx {
						if !p.validCtx(c) || p.admin(c) {
							continue
						}
						if m.id == "iam-013" && !e.byARN[res].admin(c) {
							continue
						}
						d := e.decide(p, m.action, res, c, m.extra, nil, false)
						if d.Allowed {
							out = append(out, &edge{method: m.id, from: p, fromCtx: c, to: p, toCtx: c, terminal: true,
								actions: []ActionUse{use(m.action, res, d)}})
						}
					}
				}
			}
		}
	}
	return out
}

// modifyRoleEdges: give a role that is not administrator-equivalent
// administrator power (attach AdministratorAccess, put an inline policy,
// write a new version of a customer managed policy it has), then assume it
// (its trust policy admits the caller: iam-014/017/016) or rewrite its
// trust policy and assume it (iam-019/021/020).
func (e *engine) modifyRoleEdges() []*edge {
	attach := map[string]string{"iam:PolicyARN": e.adminARN}
	var out []*edge
	for _, q := range e.principals {
		if q.typ != "role" || q.adminFrom >= 0 || e.capped(q.subj) {
			continue
		}
		type mod struct {
			assumeID, trustID, action, resource string
			extra                               map[string]string
		}
		mods := []mod{
			{"iam-014", "iam-019", "iam:AttachRolePolicy", q.arn, attach},
			{"iam-017", "iam-021", "iam:PutRolePolicy", q.arn, nil},
		}
		for _, pol := range customerManaged(q.subj) {
			mods = append(mods, mod{"iam-016", "iam-020", "iam:CreatePolicyVersion", pol, nil})
		}
		var assume, rewrite map[[2]int]hit
		for _, m := range mods {
			hits := e.sources(m.action, m.resource, allCtx, m.extra, nil)
			if len(hits) == 0 {
				continue
			}
			if assume == nil {
				assume = map[[2]int]hit{}
				if t := e.trust(q.arn); t.ref != nil {
					for _, h := range e.sources("sts:AssumeRole", q.arn, allCtx, nil, t) {
						assume[[2]int{h.p.idx, h.c}] = h
					}
				}
				rewrite = map[[2]int]hit{}
				for _, h := range e.sources("iam:UpdateAssumeRolePolicy", q.arn, allCtx, nil, nil) {
					rewrite[[2]int{h.p.idx, h.c}] = h
				}
			}
			for _, h := range hits {
				k := [2]int{h.p.idx, h.c}
				first := use(m.action, m.resource, h.d)
				if a, ok := assume[k]; ok {
					out = append(out, &edge{method: m.assumeID, from: h.p, fromCtx: h.c, to: q, toCtx: afterAssume(h.c), terminal: true,
						actions: []ActionUse{first, use("sts:AssumeRole", q.arn, a.d)}})
					continue
				}
				if r, ok := rewrite[k]; ok {
					if u, ok := e.assumeRewritten(h.p, q, h.c); ok {
						out = append(out, &edge{method: m.trustID, from: h.p, fromCtx: h.c, to: q, toCtx: afterAssume(h.c), terminal: true,
							actions: []ActionUse{first, use("iam:UpdateAssumeRolePolicy", q.arn, r.d), u}})
					}
				}
			}
		}
	}
	return out
}

// modifyUserEdges: give another user administrator power, then take an
// access key of it (iam-015 attach, iam-018 inline).
func (e *engine) modifyUserEdges() []*edge {
	attach := map[string]string{"iam:PolicyARN": e.adminARN}
	var out []*edge
	for _, q := range e.principals {
		if q.typ != "user" || q.adminFrom >= 0 || e.capped(q.subj) {
			continue
		}
		var keys map[[2]int]hit
		for _, m := range []struct {
			id, action string
			extra      map[string]string
		}{{"iam-015", "iam:AttachUserPolicy", attach}, {"iam-018", "iam:PutUserPolicy", nil}} {
			hits := e.sources(m.action, q.arn, allCtx, m.extra, nil)
			if len(hits) == 0 {
				continue
			}
			if keys == nil {
				keys = map[[2]int]hit{}
				for _, h := range e.sources("iam:CreateAccessKey", q.arn, allCtx, nil, nil) {
					keys[[2]int{h.p.idx, h.c}] = h
				}
			}
			st := e.opts.Inventory.Users[q.arn]
			for _, h := range hits {
				k, ok := keys[[2]int{h.p.idx, h.c}]
				if !ok {
					continue
				}
				ed := &edge{method: m.id, from: h.p, fromCtx: h.c, to: q, toCtx: ctxAccessKey, terminal: true,
					actions: []ActionUse{use(m.action, q.arn, h.d), use("iam:CreateAccessKey", q.arn, k.d)}}
				if st.AccessKeys == nil || *st.AccessKeys >= 2 {
					d := e.decide(h.p, "iam:DeleteAccessKey", q.arn, h.c, nil, nil, false)
					switch {
					case d.Allowed:
						ed.actions = append(ed.actions, use("iam:DeleteAccessKey", q.arn, d))
					case st.AccessKeys != nil:
						continue
					default:
						ed.possible, ed.unknown = true, "the number of access keys of "+short(q.arn)+" ("+e.usersUnknown()+")"
					}
				}
				out = append(out, ed)
			}
		}
	}
	return out
}

// rewrittenTrust is the trust policy a caller that may edit q's writes:
// it admits the caller's own ARN.
func rewrittenTrust(p, q *principal) *iampolicy.PolicyRef {
	doc, _ := json.Marshal(map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{
		"Effect": "Allow", "Principal": map[string]any{"AWS": p.subj.Principal.ARN}, "Action": "sts:AssumeRole"}}})
	pol, err := iampolicy.Parse("trust policy of "+q.name+" as rewritten", doc)
	if err != nil {
		panic(err) // a constant shape
	}
	return &iampolicy.PolicyRef{Kind: string(access.KindTrust), Name: pol.Name, ARN: q.arn, Policy: pol}
}
