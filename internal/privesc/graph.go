package privesc

// The graph: principal states (principal, request context) joined by the
// methods' edges, and a reverse breadth-first search from administrator
// power that finds every principal's shortest escalation path at once.

import (
	"sort"
	"strings"
)

// edge is one step: from a principal in a context to another principal in
// a context (or, terminal, to administrator power held by to).
type edge struct {
	method   string
	from     *principal
	fromCtx  int
	to       *principal
	toCtx    int
	terminal bool
	assume   bool // a pure sts:AssumeRole hop (not an escalation on its own)
	actions  []ActionUse
	possible bool
	unknown  string
}

// afterAssume: a role session has MFA only when the request that assumed it did.
func afterAssume(c int) int {
	if c == ctxMFA {
		return ctxMFA
	}
	return ctxNoMFA
}

// into lists the edges into the state (q, cq) (q not a group: groups are
// where paths start, never where they lead).
func (e *engine) into(q *principal, cq int) []*edge {
	var out []*edge
	switch q.typ {
	case "user":
		switch cq {
		case ctxAccessKey:
			out = append(out, e.intoAccessKey(q)...)
		case ctxNoMFA:
			out = append(out, e.intoLoginProfile(q)...)
		}
	case "role":
		out = append(out, e.intoAssume(q, cq)...)
		if cq == ctxNoMFA {
			out = append(out, e.intoPassRole(q)...)
			out = append(out, e.intoExisting(q)...)
		}
	}
	return out
}

func srcCtxFor(cq int) []int {
	if cq == ctxMFA {
		return []int{ctxMFA}
	}
	return []int{ctxAccessKey, ctxNoMFA}
}

var allCtx = []int{ctxAccessKey, ctxNoMFA, ctxMFA}

func (e *engine) intoAccessKey(q *principal) []*edge {
	st := e.opts.Inventory.Users[q.arn]
	hits := e.sources("iam:CreateAccessKey", q.arn, allCtx, nil, nil)
	var out []*edge
	for _, h := range hits {
		ed := &edge{method: "iam-002", from: h.p, fromCtx: h.c, to: q, toCtx: ctxAccessKey,
			actions: []ActionUse{use("iam:CreateAccessKey", q.arn, h.d)}}
		switch {
		case st.AccessKeys != nil && *st.AccessKeys < 2:
		default:
			// Two keys already (or not known): the caller must delete one first.
			d := e.decide(h.p, "iam:DeleteAccessKey", q.arn, h.c, nil, nil, false)
			if d.Allowed {
				ed.method = "iam-003"
				ed.actions = append(ed.actions, use("iam:DeleteAccessKey", q.arn, d))
			} else if st.AccessKeys != nil {
				continue // two keys and no right to delete one
			} else {
				ed.possible, ed.unknown = true, "the number of access keys of "+short(q.arn)+" ("+e.usersUnknown()+")"
			}
		}
		out = append(out, ed)
	}
	return out
}

func (e *engine) usersUnknown() string {
	if u := e.opts.Inventory.UsersUnknown; u != "" {
		return u
	}
	return "the credential report has no row for the user"
}

// intoLoginProfile: a console password set by the caller gives a console
// session without MFA, which does not work when the user has an MFA
// device (the console asks for it). CreateLoginProfile works only for a
// user without a password, UpdateLoginProfile only for one with it.
func (e *engine) intoLoginProfile(q *principal) []*edge {
	st := e.opts.Inventory.Users[q.arn]
	if st.MFA != nil && *st.MFA {
		return nil
	}
	var out []*edge
	for _, m := range []struct {
		id, action string
		want       bool
	}{{"iam-004", "iam:CreateLoginProfile", false}, {"iam-006", "iam:UpdateLoginProfile", true}} {
		if st.Password != nil && *st.Password != m.want {
			continue
		}
		for _, h := range e.sources(m.action, q.arn, allCtx, nil, nil) {
			ed := &edge{method: m.id, from: h.p, fromCtx: h.c, to: q, toCtx: ctxNoMFA, actions: []ActionUse{use(m.action, q.arn, h.d)}}
			if st.Password == nil || st.MFA == nil {
				ed.possible, ed.unknown = true, "whether "+short(q.arn)+" has a console password and an MFA device ("+e.usersUnknown()+")"
			}
			out = append(out, ed)
		}
	}
	return out
}

func (e *engine) intoAssume(q *principal, cq int) []*edge {
	t := e.trust(q.arn)
	if t.ref == nil {
		return nil
	}
	var out []*edge
	for _, h := range e.sources("sts:AssumeRole", q.arn, srcCtxFor(cq), nil, t) {
		out = append(out, &edge{method: "sts-001", from: h.p, fromCtx: h.c, to: q, toCtx: cq, assume: true,
			actions: []ActionUse{use("sts:AssumeRole", q.arn, h.d)}})
	}
	// iam-012: rewrite the trust policy to admit the caller, then assume.
	for _, h := range e.sources("iam:UpdateAssumeRolePolicy", q.arn, srcCtxFor(cq), nil, nil) {
		if u, ok := e.assumeRewritten(h.p, q, h.c); ok {
			out = append(out, &edge{method: "iam-012", from: h.p, fromCtx: h.c, to: q, toCtx: cq,
				actions: []ActionUse{use("iam:UpdateAssumeRolePolicy", q.arn, h.d), u}})
		}
	}
	return out
}

// assumeRewritten: after the caller rewrites q's trust policy to name it,
// may it assume q? The new trust policy allows the caller's own ARN, which
// within an account is enough unless a deny or a boundary refuses it.
func (e *engine) assumeRewritten(p, q *principal, c int) (ActionUse, bool) {
	ref := rewrittenTrust(p, q)
	d := e.decide(p, "sts:AssumeRole", q.arn, c, nil, ref, true)
	if !d.Allowed {
		return ActionUse{}, false
	}
	u := use("sts:AssumeRole", q.arn, d)
	return u, true
}

// intoPassRole: the caller passes q to a new resource of a service that
// q's trust policy admits, with iam:PassedToService set, and holds every
// other action of the method.
func (e *engine) intoPassRole(q *principal) []*edge {
	t := e.trust(q.arn)
	var out []*edge
	profiles := len(e.opts.Inventory.InstanceProfiles[q.arn]) > 0
	for _, id := range methodsOf(kPassRole) {
		h := handling[id]
		if !t.services[h.service] {
			continue
		}
		m := method(id)
		extra := map[string]string{"iam:PassedToService": h.service}
		if h.service == svcEC2 {
			extra["iam:AssociatedResourceArn"] = probeResource("ec2:RunInstances", e.partition, e.account)
		}
		others := without(m.Required, "iam:PassRole")
		if h.profile && !profiles {
			others = append(others, "iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile")
		}
		for _, hit := range e.sources("iam:PassRole", q.arn, allCtx, extra, nil) {
			rest := e.doAll(hit.p, id+"|"+boolKey(h.profile && !profiles), others, hit.c, nil)
			if rest == nil {
				continue
			}
			ed := &edge{method: id, from: hit.p, fromCtx: hit.c, to: q, toCtx: ctxNoMFA,
				actions: append([]ActionUse{use("iam:PassRole", q.arn, hit.d)}, rest...)}
			if h.inventory != "" {
				ed.possible, ed.unknown = true, h.inventory
			}
			out = append(out, ed)
		}
	}
	return out
}

func boolKey(b bool) string {
	if b {
		return "1"
	}
	return "0"
}

func without(list []string, drop string) []string {
	var out []string
	for _, a := range list {
		if !strings.EqualFold(a, drop) {
			out = append(out, a)
		}
	}
	return out
}

// intoExisting: the caller takes over an existing resource that runs as
// q: an EC2 instance whose instance profile holds q, a Lambda function
// whose execution role is q, or a resource of a type lockdown does not
// collect (possible, naming the inventory).
func (e *engine) intoExisting(q *principal) []*edge {
	inv := &e.opts.Inventory
	t := e.trust(q.arn)
	var out []*edge
	profiles := inv.InstanceProfiles[q.arn]
	if len(profiles) > 0 && t.services[svcEC2] {
		for _, in := range inv.Instances {
			if contains(profiles, in.Profile) {
				out = append(out, e.onResource(q, kInstance, in.ARN)...)
			}
		}
		if inv.InstancesUnknown != "" {
			out = append(out, e.unknownResources(q, kInstance, inv.InstancesUnknown, inv.InstanceRegions)...)
		}
	}
	if t.services[svcLambda] {
		for _, f := range inv.Functions {
			if f.Role == q.arn {
				out = append(out, e.onResource(q, kFunction, f.ARN)...)
			}
		}
		if inv.FunctionsUnknown != "" {
			out = append(out, e.unknownResources(q, kFunction, inv.FunctionsUnknown, inv.FunctionRegions)...)
		}
	}
	for _, id := range methodsOf(kUncollected) {
		h := handling[id]
		if !t.services[h.service] || (h.profile && len(profiles) == 0) {
			continue
		}
		out = append(out, e.possibleEdges(q, id, h.inventory, nil)...)
	}
	return out
}

// unknownResources: where the instances or functions are not all known,
// a principal that may use a method's actions on some resource of the
// kind (one its policies name) may reach q through one lockdown does not
// know: a possible edge.
func (e *engine) unknownResources(q *principal, k kind, unknown string, known map[string]bool) []*edge {
	var out []*edge
	for _, id := range methodsOf(k) {
		out = append(out, e.possibleEdges(q, id, unknown, known)...)
	}
	return out
}

// possibleEdges: the principals that may do every action of the method on
// resources of their choosing may reach q through a resource lockdown does
// not know. Where the first action is allowed only on a resource of a
// region whose inventory is complete (known), that resource is known not
// to lead to q: no edge.
func (e *engine) possibleEdges(q *principal, id, unknown string, known map[string]bool) []*edge {
	var out []*edge
	m := method(id)
	probe := probeResource(m.Required[0], e.partition, e.account)
	for _, h := range e.mayDoAll(id) {
		if h.p == q {
			continue
		}
		acts := e.doAll(h.p, id, m.Required, h.c, nil)
		if res := acts[0].Resource; res != probe && known[arnRegion(res)] {
			continue
		}
		out = append(out, &edge{method: id, from: h.p, fromCtx: h.c, to: q, toCtx: ctxNoMFA,
			actions: acts, possible: true, unknown: unknown})
	}
	return out
}

func arnRegion(a string) string {
	parts := strings.SplitN(a, ":", 6)
	if len(parts) < 6 {
		return ""
	}
	return parts[3]
}

// mayDoAll lists, once per method, the principal states allowed every
// action of the method on resources of their choosing.
func (e *engine) mayDoAll(id string) []hit {
	if v, ok := e.anyRes[id]; ok {
		return v
	}
	var out []hit
	m := method(id)
	for _, g := range e.coverGroups(m.Required[0]) {
		dep := false
		for _, a := range m.Required {
			dep = dep || e.covering(g, a).dep
		}
		for _, c := range allCtx {
			// One answer for the group unless its statements read who
			// the principal is.
			shared := !dep && e.doAll(g.rep, id, m.Required, c, nil) != nil
			for _, p := range g.members {
				if !p.validCtx(c) || p.admin(c) {
					continue
				}
				if (dep && e.doAll(p, id, m.Required, c, nil) != nil) || (!dep && shared) {
					out = append(out, hit{p: p, c: c})
				}
			}
		}
	}
	e.anyRes[id] = out
	return out
}

// onResource: the methods of kind k whose every action is allowed on
// resource (an instance or function ARN; actions without resource-level
// permissions on "*").
func (e *engine) onResource(q *principal, k kind, resource string) []*edge {
	var out []*edge
	for _, id := range methodsOf(k) {
		m := method(id)
		first := m.Required[0]
		for _, hit := range e.sources(first, resource, allCtx, nil, nil) {
			acts := []ActionUse{use(first, resource, hit.d)}
			ok := true
			for _, a := range m.Required[1:] {
				res := resource
				if probeResource(a, e.partition, e.account) == "*" {
					res = "*"
				}
				d := e.decide(hit.p, a, res, hit.c, nil, nil, false)
				if !d.Allowed {
					ok = false
					break
				}
				acts = append(acts, use(a, res, d))
			}
			if ok {
				out = append(out, &edge{method: id, from: hit.p, fromCtx: hit.c, to: q, toCtx: ctxNoMFA, actions: acts})
			}
		}
	}
	return out
}

// search runs the reverse breadth-first search. State (p, c, f): p in
// context c, f = 1 when the path from there on has a step other than a
// pure sts:AssumeRole. Administrator-equivalent states are where paths end
// (distance 0, f 0) and have no edges out; terminal edges (a principal
// giving itself or another principal administrator power) end at distance
// 1 with f 1. With definiteOnly, possible edges are left out.
type step struct {
	e   *edge
	toF int
}

type searchResult struct {
	next [2][]*step // by f, by state (p.idx*numCtx + c)
}

func (e *engine) search(terminal []*edge, into func(q *principal, c int) []*edge, definiteOnly bool) *searchResult {
	n := len(e.principals) * numCtx
	r := &searchResult{next: [2][]*step{make([]*step, n), make([]*step, n)}}
	done := [2][]bool{make([]bool, n), make([]bool, n)}
	type state struct{ sid, f int }
	var layer []state
	for _, p := range e.principals {
		for c := 0; c < numCtx; c++ {
			if p.validCtx(c) && p.admin(c) {
				sid := p.idx*numCtx + c
				done[0][sid] = true
				layer = append(layer, state{sid, 0})
			}
		}
	}
	var seeds []state
	for _, ed := range terminal {
		if definiteOnly && ed.possible {
			continue
		}
		sid := ed.from.idx*numCtx + ed.fromCtx
		if !done[1][sid] {
			done[1][sid] = true
			r.next[1][sid] = &step{e: ed, toF: -1}
			seeds = append(seeds, state{sid, 1})
		}
	}
	// Each state enters at most once per f (done), so the search ends by
	// itself: no bound on a path's length, which would turn a long path
	// into "no path".
	for depth := 0; depth == 0 || len(layer) > 0; depth++ {
		var next []state
		if depth == 0 {
			next = seeds
		}
		for _, s := range layer {
			q := e.principals[s.sid/numCtx]
			for _, ed := range into(q, s.sid%numCtx) {
				if definiteOnly && ed.possible {
					continue
				}
				f := s.f
				if !ed.assume {
					f = 1
				}
				sid := ed.from.idx*numCtx + ed.fromCtx
				if done[f][sid] || ed.from.admin(ed.fromCtx) {
					continue
				}
				done[f][sid] = true
				r.next[f][sid] = &step{e: ed, toF: s.f}
				next = append(next, state{sid, f})
			}
		}
		layer = next
	}
	return r
}

// memoInto caches the edges into each state: each state is expanded at
// most twice per search (f 0 and 1) and the two searches share them.
func (e *engine) memoInto() func(q *principal, c int) []*edge {
	memo := map[int][]*edge{}
	return func(q *principal, c int) []*edge {
		k := q.idx*numCtx + c
		if v, ok := memo[k]; ok {
			return v
		}
		v := e.into(q, c)
		memo[k] = v
		e.intoCalls++
		e.intoEdges += len(v)
		return v
	}
}

// pathFrom follows the search's pointers from (p, c) with f 1.
func (r *searchResult) pathFrom(p *principal, c int) []*edge {
	sid := p.idx*numCtx + c
	st := r.next[1][sid]
	var out []*edge
	// A shortest path visits each state once: the bound only guards
	// against a pointer cycle.
	for st != nil && len(out) <= 2*len(r.next[0]) {
		out = append(out, st.e)
		if st.toF < 0 || st.e.terminal {
			break
		}
		sid = st.e.to.idx*numCtx + st.e.toCtx
		if st.toF == 0 && st.e.to.admin(st.e.toCtx) {
			break
		}
		st = r.next[st.toF][sid]
	}
	return out
}

func sortEdges(list []*edge) {
	sort.SliceStable(list, func(i, j int) bool { return list[i].method < list[j].method })
}
