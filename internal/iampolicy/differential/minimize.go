package differential

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/lockdown-dev/lockdown/internal/iampolicy"
)

// Disagreement is a case on which the two evaluators differ.
type Disagreement struct {
	Case      Case
	Lockdown  iampolicy.Effect
	Simulator iampolicy.Effect
}

// Compare evaluates one case with internal/iampolicy and returns both
// answers; err is set when either side rejected the input.
func Compare(c *Case, s SimResult) (got, want iampolicy.Effect, err error) {
	set, perr := c.PolicySet()
	if perr != nil || s.Error != "" {
		return "", "", fmt.Errorf("lockdown: %v; simulator: %q", perr, s.Error)
	}
	w, ok := SimEffect(s.Result)
	if !ok {
		return "", "", fmt.Errorf("simulator returned unknown result %q", s.Result)
	}
	return iampolicy.Evaluate(set, c.GoRequest()).Effect, w, nil
}

// Minimize shrinks each disagreement greedily (drop policies, statements,
// condition entries, list elements and context keys) while both evaluators
// keep giving the same two answers. All candidates of a round run in one
// simulator process.
func Minimize(ctx context.Context, tool Tool, ds []Disagreement) ([]Disagreement, error) {
	cur := append([]Disagreement(nil), ds...)
	active := make([]bool, len(cur))
	for i := range active {
		active[i] = true
	}
	for round := 0; round < 200; round++ {
		var batch []Case
		var owner []int
		for i := range cur {
			if !active[i] {
				continue
			}
			for j, cand := range reductions(&cur[i].Case) {
				cand.ID = fmt.Sprintf("%s.m%d.%d", cur[i].Case.ID, round, j)
				batch = append(batch, cand)
				owner = append(owner, i)
			}
		}
		if len(batch) == 0 {
			break
		}
		res, err := tool.Run(ctx, batch)
		if err != nil {
			return nil, err
		}
		progressed := map[int]bool{}
		for k := range batch {
			i := owner[k]
			if progressed[i] || len(res[k].Ignored) > 0 {
				continue
			}
			got, want, err := Compare(&batch[k], res[k])
			if err != nil || got != cur[i].Lockdown || want != cur[i].Simulator {
				continue
			}
			id := cur[i].Case.ID
			cur[i].Case = batch[k]
			cur[i].Case.ID = id
			progressed[i] = true
		}
		for i := range active {
			active[i] = active[i] && progressed[i]
		}
	}
	return cur, nil
}

// reductions lists every one-step simplification of c.
func reductions(c *Case) []Case {
	var out []Case
	clone := func() Case {
		n := *c
		n.Identity = append([]json.RawMessage(nil), c.Identity...)
		n.Request.Context = map[string][]string{}
		for k, v := range c.Request.Context {
			n.Request.Context[k] = v
		}
		return n
	}
	for i := range c.Identity {
		n := clone()
		n.Identity = append(n.Identity[:i:i], n.Identity[i+1:]...)
		out = append(out, n)
	}
	if len(c.Boundary) > 0 {
		n := clone()
		n.Boundary = nil
		out = append(out, n)
	}
	if len(c.ResourcePolicy) > 0 {
		n := clone()
		n.ResourcePolicy = nil
		out = append(out, n)
		for _, smaller := range docReductions(c.ResourcePolicy) {
			n := clone()
			n.ResourcePolicy = smaller
			out = append(out, n)
		}
	}
	keys := make([]string, 0, len(c.Request.Context))
	for k := range c.Request.Context {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if principalContextKey(k) {
			continue // iampolicy derives these from the Principal; the simulator cannot
		}
		n := clone()
		delete(n.Request.Context, k)
		out = append(out, n)
	}
	docs := append([]json.RawMessage(nil), c.Identity...)
	if len(c.Boundary) > 0 {
		docs = append(docs, c.Boundary)
	}
	for di, doc := range docs {
		for _, smaller := range docReductions(doc) {
			n := clone()
			if di < len(c.Identity) {
				n.Identity[di] = smaller
			} else {
				n.Boundary = smaller
			}
			out = append(out, n)
		}
	}
	return out
}

// docReductions lists simplified versions of one policy document.
func docReductions(doc json.RawMessage) []json.RawMessage {
	var d map[string]any
	if json.Unmarshal(doc, &d) != nil {
		return nil
	}
	var out []json.RawMessage
	emit := func(v any) {
		b, err := json.Marshal(v)
		if err == nil {
			out = append(out, b)
		}
	}
	sts, _ := d["Statement"].([]any)
	for i := range sts {
		if len(sts) > 1 {
			n := deepCopy(d)
			ns := n["Statement"].([]any)
			n["Statement"] = append(ns[:i:i], ns[i+1:]...)
			emit(n)
		}
		st, _ := sts[i].(map[string]any)
		for _, f := range []string{"Action", "NotAction", "Resource", "NotResource"} {
			if l, ok := st[f].([]any); ok {
				for j := range l {
					n := deepCopy(d)
					n["Statement"].([]any)[i].(map[string]any)[f] = l[j]
					emit(n)
				}
			}
		}
		if _, ok := st["Sid"]; ok {
			n := deepCopy(d)
			delete(n["Statement"].([]any)[i].(map[string]any), "Sid")
			emit(n)
		}
		cond, _ := st["Condition"].(map[string]any)
		for op, block := range cond {
			n := deepCopy(d)
			nc := n["Statement"].([]any)[i].(map[string]any)["Condition"].(map[string]any)
			delete(nc, op)
			if len(nc) == 0 {
				delete(n["Statement"].([]any)[i].(map[string]any), "Condition")
			}
			emit(n)
			bm, _ := block.(map[string]any)
			for key, vals := range bm {
				if len(bm) > 1 {
					n := deepCopy(d)
					delete(n["Statement"].([]any)[i].(map[string]any)["Condition"].(map[string]any)[op].(map[string]any), key)
					emit(n)
				}
				if l, ok := vals.([]any); ok {
					for j := range l {
						n := deepCopy(d)
						n["Statement"].([]any)[i].(map[string]any)["Condition"].(map[string]any)[op].(map[string]any)[key] = l[j]
						emit(n)
					}
				}
			}
		}
	}
	return out
}

func deepCopy(m map[string]any) map[string]any {
	b, _ := json.Marshal(m)
	var n map[string]any
	_ = json.Unmarshal(b, &n)
	return n
}

func principalContextKey(k string) bool {
	k = strings.ToLower(k)
	switch k {
	case "aws:username", "aws:userid", "aws:principalarn", "aws:principalaccount", "aws:principaltype":
		return true
	}
	return strings.HasPrefix(k, "aws:principaltag/")
}
